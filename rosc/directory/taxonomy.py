"""The Open ROSC recovery taxonomy, and reading what people type.

Pure data and pure functions: nothing here touches the database, so it can be
imported anywhere and tested alone. ``rosc.directory.seeding.ensure_taxonomy``
writes these terms to the database as an HSDS taxonomy.

There are two kinds of term:

* **domains** say what kind of help a service gives (residential rehab, peer
  support, housing ...);
* **needs** say who or what it is for: the substance, an age group, and
  circumstances such as pregnancy, being a parent or having no stable home.

Every term has a fixed id, made with ``uuid.uuid5`` from its code, so the ids
are the same on every installation and can be published in an Open Referral
UK feed.

Matching free text
------------------

``interpret(text)`` turns what someone typed ("my son drinks and needs
detox") into term codes. It works like this:

1. **Normalise** the text: lower case, curly quotes made straight,
   apostrophes dropped ("someone's" becomes "someones"), "&" read as "and",
   and every other character that is not a letter or a digit treated as a
   space. Hyphens therefore split words: "co-existing" is "co existing".
2. **Split into words.** Matching is by whole words only, so "na" matches
   the word "NA" but never the "na" inside "banana".
3. **Find every phrase** from the taxonomy (each term's name and synonyms,
   normalised the same way) and from the out-of-scope list that appears in
   the words.
4. **Longest phrases first.** Matches are taken longest first (then left to
   right); a match is dropped if it overlaps words already taken. So
   "smoking weed" means cannabis, and the single word "smoking" inside it
   does not also raise the stop-smoking notice.
5. One phrase may stand for several terms ("my son drinks" is alcohol and a
   family member; "detox" is inpatient and community detox). Codes come back
   in the order they were first mentioned, without repeats.
6. Words not taken by any phrase are returned as ``leftover``, without
   common little words ("i", "my", "the", "help" ...), so a search can still
   look for them in service names and descriptions.

Out-of-scope phrases (gambling, smoking, eating disorders ...) produce a
plain-English notice saying Open ROSC does not cover them and where to go
instead; they never produce term codes.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

TAXONOMY_NAMESPACE = uuid.UUID("5d0c5a53-7f0e-4f53-9a55-2b1f0c7e3a41")
TAXONOMY_NAME = "Open ROSC recovery taxonomy"
TAXONOMY_DESCRIPTION = (
    "Kinds of drug and alcohol recovery help, and the needs and circumstances services are for. "
    "Used by Open ROSC to tag services in its Open Referral UK directory."
)
TAXONOMY_VERSION = "1.0"
TAXONOMY_ID = uuid.uuid5(TAXONOMY_NAMESPACE, "taxonomy")

DOMAIN = "domain"
NEED = "need"


def term_id(code: str) -> uuid.UUID:
    """The fixed id of a term: the same on every installation."""
    return uuid.uuid5(TAXONOMY_NAMESPACE, f"term/{code}")


@dataclass(frozen=True)
class Term:
    code: str
    name: str
    description: str
    kind: str
    synonyms: tuple[str, ...] = ()
    parent: str = ""
    group: str = ""

    @property
    def id(self) -> uuid.UUID:
        return term_id(self.code)


def _d(code: str, name: str, description: str, synonyms: Iterable[str] = (), parent: str = "") -> Term:
    return Term(code, name, description, DOMAIN, tuple(synonyms), parent=parent, group="help")


def _n(group: str, code: str, name: str, description: str, synonyms: Iterable[str] = ()) -> Term:
    return Term(code, name, description, NEED, tuple(synonyms), group=group)


# --- Kinds of help (domains) ---------------------------------------------------------------------------------

DOMAINS: tuple[Term, ...] = (
    _d(
        "clinical-treatment",
        "Drug and alcohol treatment",
        "Community drug and alcohol services: an assessment, a keyworker, a recovery plan and treatment close to home.",
        [
            "treatment",
            "drug treatment",
            "alcohol treatment",
            "drug service",
            "drugs service",
            "alcohol service",
            "drug and alcohol service",
            "drug worker",
            "drugs worker",
            "keyworker",
            "key worker",
            "assessment",
            "get clean",
            "getting clean",
            "get sober",
            "stop drinking",
            "stop using",
            "cut down",
            "cutting down",
            "addiction",
            "addicted",
            "addiction help",
            "substance misuse",
            "substance use",
        ],
    ),
    _d(
        "community-detox",
        "Community detox",
        "Coming off alcohol or drugs safely at home or as a day patient, with medicine and regular checks from a "
        "treatment team.",
        ["detox", "detoxing", "home detox", "community detox", "alcohol detox at home", "withdrawal", "withdrawals"],
        parent="clinical-treatment",
    ),
    _d(
        "prescribing",
        "Prescribing and substitute medicines",
        "Medicines that replace or block the drug someone depends on, such as methadone or buprenorphine, "
        "prescribed and reviewed by a treatment service.",
        [
            "methadone",
            "buprenorphine",
            "subutex",
            "espranor",
            "suboxone",
            "buvidal",
            "opioid substitution",
            "opiate substitution",
            "substitute prescribing",
            "substitution therapy",
            "script",
            "scripted",
            "on a script",
            "prescription for methadone",
            "maintenance",
            "antabuse",
            "disulfiram",
            "acamprosate",
            "naltrexone",
        ],
    ),
    _d(
        "inpatient-detox",
        "Inpatient detox",
        "A short stay on a specialist ward to come off alcohol or drugs safely, with doctors and nurses on hand "
        "day and night.",
        [
            "detox",
            "detoxing",
            "inpatient detox",
            "hospital detox",
            "medical detox",
            "residential detox",
            "detox unit",
            "detox ward",
            "withdrawal",
            "withdrawals",
            "dts",
            "delirium tremens",
            "the shakes",
        ],
    ),
    _d(
        "residential-rehab",
        "Residential rehab",
        "Living in a recovery house for several weeks or months, with a full programme of therapy, groups and support.",
        ["rehab", "residential rehab", "residential treatment", "rehab centre", "recovery house", "rehabilitation"],
    ),
    _d(
        "psychosocial-support",
        "Talking support and recovery groups",
        "Structured groups and one-to-one sessions that help people change how they drink or use drugs, such as "
        "SHARP and relapse-prevention groups.",
        [
            "counselling",
            "counsellor",
            "counseling",
            "therapy",
            "group work",
            "groups",
            "recovery group",
            "recovery programme",
            "recovery program",
            "structured programme",
            "day programme",
            "relapse prevention",
            "cbt",
            "sharp",
            "self help addiction recovery programme",
            "talking to someone",
        ],
    ),
    _d(
        "peer-support",
        "Peer support and mentoring",
        "Support from people with their own experience of recovery: peer mentors, buddies and recovery champions.",
        [
            "peer support",
            "peer mentor",
            "peer mentors",
            "peer mentoring",
            "mentor",
            "mentoring",
            "buddy",
            "lived experience",
            "someone who has been there",
            "been there",
            "recovery champion",
            "recovery coach",
        ],
    ),
    _d(
        "mutual-aid",
        "Mutual-aid meetings",
        "Free, self-run meetings where people in recovery support each other, such as twelve-step fellowships "
        "and SMART Recovery.",
        [
            "aa",
            "alcoholics anonymous",
            "na",
            "narcotics anonymous",
            "ca",
            "cocaine anonymous",
            "cma",
            "crystal meth anonymous",
            "smart",
            "smart recovery",
            "12 step",
            "12 steps",
            "twelve step",
            "twelve steps",
            "fellowship",
            "meeting",
            "meetings",
            "al anon",
            "alanon",
            "alateen",
            "nar anon",
            "mutual aid",
        ],
    ),
    _d(
        "recovery-community-space",
        "Recovery community space",
        "A welcoming place run with the recovery community: drop in, meet people, join activities and find out "
        "what help there is.",
        [
            "recovery space",
            "recovery hub",
            "recovery cafe",
            "drop in",
            "community hub",
            "recovery community",
            "somewhere to go",
            "activities",
        ],
    ),
    _d(
        "mental-health",
        "Mental health support",
        "Talking therapies and mental health care, including for people whose mental health and drinking or drug "
        "use affect each other.",
        [
            "mental health",
            "depression",
            "depressed",
            "anxiety",
            "anxious",
            "panic attacks",
            "ptsd",
            "trauma",
            "psychosis",
            "paranoia",
            "bipolar",
            "talking therapies",
            "psychologist",
            "dual diagnosis",
            "low mood",
            "stress",
        ],
    ),
    _d(
        "housing",
        "Housing support",
        "Help to find or keep somewhere to live, supported housing and advice for people with no stable home.",
        [
            "housing",
            "homeless",
            "homelessness",
            "sofa surfing",
            "rough sleeping",
            "sleeping rough",
            "hostel",
            "supported housing",
            "supported accommodation",
            "accommodation",
            "eviction",
            "evicted",
            "somewhere to live",
            "nowhere to live",
            "nowhere to stay",
            "tenancy",
        ],
    ),
    _d(
        "employment-training",
        "Work, training and volunteering",
        "Help to get into work, training or volunteering, including support in Jobcentres and with local employers.",
        [
            "job",
            "jobs",
            "employment",
            "unemployed",
            "find work",
            "back to work",
            "into work",
            "jobcentre",
            "job centre",
            "jobcentre plus",
            "training",
            "volunteering",
            "volunteer",
            "apprenticeship",
            "cv",
            "college",
            "qualifications",
        ],
    ),
    _d(
        "family-support",
        "Support for families",
        "Support for parents, partners, children and friends affected by someone else's drinking or drug use, "
        "and for families recovering together.",
        [
            "family support",
            "families",
            "family",
            "carers",
            "carer support",
            "kinship carer",
            "support for me",
            "al anon",
            "alanon",
            "alateen",
            "nar anon",
            "young carers",
        ],
    ),
    _d(
        "criminal-justice",
        "Criminal justice support",
        "Drug and alcohol work in courts, police custody, prison and probation, including help when someone "
        "leaves prison.",
        [
            "probation",
            "prison",
            "court",
            "court order",
            "custody",
            "police",
            "liaison and diversion",
            "drug rehabilitation requirement",
            "drr",
            "alcohol treatment requirement",
            "atr",
            "on licence",
            "released from prison",
            "leaving prison",
            "just out of prison",
            "offending",
        ],
    ),
    _d(
        "harm-reduction",
        "Harm reduction",
        "Keeping people who use drugs safer: naloxone, needle and syringe programmes, testing and vaccines for "
        "blood-borne viruses, and safer-use advice.",
        [
            "naloxone",
            "prenoxad",
            "nyxoid",
            "overdose kit",
            "needle exchange",
            "syringe exchange",
            "needle and syringe programme",
            "clean needles",
            "needles",
            "foil",
            "injecting",
            "harm reduction",
            "safer use",
            "safer injecting",
            "hep c",
            "hepatitis c",
            "hepatitis",
            "bbv",
            "blood borne virus",
            "hiv test",
            "dry blood spot",
        ],
    ),
    _d(
        "online-telehealth",
        "Online and phone support",
        "Support you can use from home: online groups and workshops, video appointments, apps and helplines.",
        [
            "online",
            "video call",
            "zoom",
            "app",
            "telehealth",
            "phone support",
            "by phone",
            "over the phone",
            "helpline",
            "webchat",
            "web chat",
            "from home",
            "virtual",
            "hybrid",
        ],
    ),
    _d(
        "crisis",
        "Crisis and urgent help",
        "Help now, day or night, when someone is at risk: emergency services, urgent mental health help and "
        "listening lines.",
        [
            "crisis",
            "emergency",
            "urgent",
            "urgent help",
            "help now",
            "right now",
            "suicidal",
            "suicide",
            "want to die",
            "kill myself",
            "end my life",
            "self harm",
            "overdose",
            "overdosed",
            "od",
            "not breathing",
            "unconscious",
            "samaritans",
            "999",
            "111",
        ],
    ),
)

# --- Needs and circumstances ---------------------------------------------------------------------------------

SUBSTANCE, AGE, CIRCUMSTANCE = "substance", "age", "circumstance"

NEED_GROUPS: dict[str, str] = {
    SUBSTANCE: "Drink or drug",
    AGE: "Age",
    CIRCUMSTANCE: "Circumstances",
}

NEEDS: tuple[Term, ...] = (
    _n(
        SUBSTANCE,
        "alcohol",
        "Alcohol",
        "Drinking too much, or depending on alcohol.",
        [
            "alcohol",
            "alcoholic",
            "alcoholism",
            "drink",
            "drinks",
            "drinking",
            "drinker",
            "drunk",
            "booze",
            "boozing",
            "beer",
            "lager",
            "cider",
            "wine",
            "vodka",
            "spirits",
            "binge drinking",
            "problem drinking",
            "hangover",
            "my son drinks",
            "my daughter drinks",
            "my husband drinks",
            "my wife drinks",
            "my partner drinks",
            "my mum drinks",
            "my dad drinks",
            "my friend drinks",
            "drinks too much",
            "drinking too much",
        ],
    ),
    _n(
        SUBSTANCE,
        "opiates",
        "Opiates and opioids",
        "Heroin and other opioids, including strong painkillers and synthetic opioids such as fentanyl and nitazenes.",
        [
            "opiates",
            "opiate",
            "opioids",
            "opioid",
            "heroin",
            "smack",
            "gear",
            "skag",
            "fentanyl",
            "nitazenes",
            "nitazene",
            "morphine",
            "oxycodone",
            "oxycontin",
            "codeine",
            "tramadol",
            "chasing the dragon",
            "smoking heroin",
            "smoke heroin",
            "injecting heroin",
        ],
    ),
    _n(
        SUBSTANCE,
        "crack-cocaine",
        "Crack cocaine",
        "Smoking or injecting crack cocaine.",
        ["crack", "crack cocaine", "smoking crack", "smoke crack", "crack pipe"],
    ),
    _n(
        SUBSTANCE,
        "cocaine",
        "Cocaine",
        "Cocaine powder.",
        ["cocaine", "coke", "charlie", "doing lines", "cocaine powder"],
    ),
    _n(
        SUBSTANCE,
        "cannabis",
        "Cannabis",
        "Cannabis, including strong skunk and cannabis edibles and vapes.",
        [
            "cannabis",
            "weed",
            "skunk",
            "marijuana",
            "hash",
            "hashish",
            "joint",
            "joints",
            "spliff",
            "spliffs",
            "ganja",
            "thc",
            "smoking weed",
            "smoke weed",
            "smoking cannabis",
            "smoking skunk",
            "cannabis vape",
            "thc vape",
            "edibles",
        ],
    ),
    _n(
        SUBSTANCE,
        "new-psychoactive-substances",
        "New psychoactive substances",
        "Synthetic drugs once sold as 'legal highs', such as spice (synthetic cannabinoids).",
        [
            "nps",
            "spice",
            "mamba",
            "legal highs",
            "legal high",
            "synthetic cannabinoids",
            "synthetic cannabis",
            "new psychoactive substances",
        ],
    ),
    _n(
        SUBSTANCE,
        "benzodiazepines",
        "Benzodiazepines",
        "Benzodiazepines and similar sedatives, prescribed or bought, including street 'valium'.",
        [
            "benzodiazepines",
            "benzodiazepine",
            "benzos",
            "benzo",
            "diazepam",
            "valium",
            "street valium",
            "etizolam",
            "xanax",
            "alprazolam",
            "temazepam",
            "lorazepam",
            "sleeping pills",
            "pregabalin",
            "gabapentin",
        ],
    ),
    _n(
        SUBSTANCE,
        "medicines",
        "Prescription and over-the-counter medicines",
        "Depending on medicines from a doctor, a chemist or online, such as painkillers and sleeping tablets.",
        [
            "prescription drugs",
            "prescription medicines",
            "prescribed medication",
            "over the counter",
            "otc",
            "painkillers",
            "pain killers",
            "co codamol",
            "cocodamol",
            "codeine",
            "tramadol",
            "sleeping tablets",
            "sleeping pills",
            "pills",
            "tablets",
            "pregabalin",
            "gabapentin",
        ],
    ),
    _n(
        SUBSTANCE,
        "chemsex",
        "Chemsex drugs",
        "Drugs used to have sex, such as crystal meth, GHB or GBL and mephedrone, often by gay, bisexual and "
        "other men who have sex with men.",
        [
            "chemsex",
            "chem sex",
            "chems",
            "party and play",
            "pnp",
            "ghb",
            "gbl",
            "mephedrone",
            "meow meow",
            "m cat",
            "tina",
            "crystal meth",
            "slamming",
        ],
    ),
    _n(
        SUBSTANCE,
        "amphetamines",
        "Amphetamines",
        "Speed, methamphetamine and other stimulants apart from cocaine.",
        ["amphetamine", "amphetamines", "speed", "meth", "methamphetamine", "crystal meth", "whizz"],
    ),
    _n(
        SUBSTANCE,
        "ketamine",
        "Ketamine",
        "Ketamine use, including bladder problems caused by ketamine.",
        ["ketamine", "ket", "special k", "ket bladder", "ketamine bladder"],
    ),
    _n(
        AGE,
        "young-people",
        "Young people under 18",
        "Services for children and young people under 18.",
        [
            "young people",
            "young person",
            "under 18",
            "under 18s",
            "teenager",
            "teenagers",
            "teen",
            "teens",
            "child",
            "children",
            "school",
            "youth",
            "kids",
        ],
    ),
    _n(
        AGE,
        "young-adults",
        "Young adults (18 to 25)",
        "Services shaped for young adults aged 18 to 25.",
        ["young adult", "young adults", "18 to 25", "18 25", "under 25", "under 25s", "in my twenties"],
    ),
    _n(
        AGE,
        "older-adults",
        "Older adults",
        "Services shaped for people aged 50 and over.",
        [
            "older people",
            "older person",
            "older adult",
            "older adults",
            "over 50",
            "over 50s",
            "over 60",
            "over 60s",
            "over 65",
            "pensioner",
            "retired",
            "elderly",
        ],
    ),
    _n(
        CIRCUMSTANCE,
        "women-only",
        "Women only",
        "Services or groups for women only.",
        ["women", "women only", "womens", "woman", "female", "ladies", "girls", "women only group"],
    ),
    _n(
        CIRCUMSTANCE,
        "men-only",
        "Men only",
        "Services or groups for men only.",
        ["men", "men only", "mens", "male", "lads", "blokes", "men only group"],
    ),
    _n(
        CIRCUMSTANCE,
        "pregnancy",
        "Pregnancy",
        "Support for people who are pregnant or have just had a baby.",
        [
            "pregnant",
            "pregnancy",
            "expecting a baby",
            "having a baby",
            "new baby",
            "newborn",
            "midwife",
            "antenatal",
            "postnatal",
        ],
    ),
    _n(
        CIRCUMSTANCE,
        "parent-carer",
        "Parents and carers",
        "Support that fits around being a parent or carer, including help for the children.",
        [
            "parent",
            "parents",
            "mum",
            "dad",
            "mother",
            "father",
            "single parent",
            "my kids",
            "my children",
            "childcare",
            "social services",
            "social worker",
            "child protection",
            "carer",
            "caring for",
        ],
    ),
    _n(
        CIRCUMSTANCE,
        "veteran",
        "Veterans",
        "Support for people who have served in the armed forces, and their families.",
        [
            "veteran",
            "veterans",
            "ex forces",
            "ex military",
            "armed forces",
            "army",
            "navy",
            "raf",
            "royal marines",
            "military",
        ],
    ),
    _n(
        CIRCUMSTANCE,
        "student",
        "Students",
        "Support for students at college or university.",
        [
            "student",
            "students",
            "university",
            "uni",
            "college student",
            "freshers",
            "student union",
            "students union",
            "halls",
        ],
    ),
    _n(
        CIRCUMSTANCE,
        "mental-health-need",
        "Co-existing mental health need",
        "Support for people whose mental health and drinking or drug use affect each other.",
        [
            "co existing",
            "co occurring",
            "dual diagnosis",
            "mental health",
            "depression",
            "depressed",
            "anxiety",
            "anxious",
            "ptsd",
            "trauma",
            "psychosis",
            "bipolar",
            "personality disorder",
            "self medicating",
        ],
    ),
    _n(
        CIRCUMSTANCE,
        "no-stable-housing",
        "No stable housing",
        "Support for people who are homeless, sofa surfing or at risk of losing their home.",
        [
            "homeless",
            "homelessness",
            "no fixed abode",
            "nfa",
            "sofa surfing",
            "rough sleeping",
            "sleeping rough",
            "street homeless",
            "nowhere to live",
            "nowhere to stay",
            "evicted",
            "eviction",
            "hostel",
        ],
    ),
    _n(
        CIRCUMSTANCE,
        "language",
        "Language other than English",
        "Support in other languages, or with an interpreter.",
        [
            "interpreter",
            "translator",
            "translation",
            "english is not my first language",
            "not my first language",
            "bsl",
            "british sign language",
            "polish",
            "romanian",
            "lithuanian",
            "portuguese",
            "urdu",
            "bengali",
            "punjabi",
            "turkish",
            "arabic",
            "ukrainian",
        ],
    ),
    _n(
        CIRCUMSTANCE,
        "family-friend",
        "Family member or friend",
        "For people affected by someone else's drinking or drug use: parents, partners, children and friends.",
        [
            "family member",
            "my son",
            "my daughter",
            "my husband",
            "my wife",
            "my partner",
            "my boyfriend",
            "my girlfriend",
            "my mum",
            "my dad",
            "my mother",
            "my father",
            "my brother",
            "my sister",
            "my friend",
            "my child",
            "my kids",
            "my children",
            "my grandson",
            "my granddaughter",
            "loved one",
            "someone i love",
            "worried about someone",
            "affected by someone",
            "someone else's drinking",
            "someone else's drug use",
            "my son drinks",
            "my daughter drinks",
            "my husband drinks",
            "my wife drinks",
            "my partner drinks",
            "my mum drinks",
            "my dad drinks",
            "my friend drinks",
            "al anon",
            "alanon",
            "alateen",
            "nar anon",
            "young carers",
        ],
    ),
    _n(
        CIRCUMSTANCE,
        "criminal-justice-involvement",
        "In contact with the criminal justice system",
        "For people on probation, on a court order, in or recently out of prison, or arrested.",
        [
            "probation",
            "on probation",
            "court order",
            "on licence",
            "released from prison",
            "leaving prison",
            "just out of prison",
            "out of prison",
            "prison",
            "arrested",
            "charged",
            "drr",
            "atr",
            "drug rehabilitation requirement",
            "alcohol treatment requirement",
        ],
    ),
)

TERMS: tuple[Term, ...] = DOMAINS + NEEDS
TERMS_BY_CODE: dict[str, Term] = {term.code: term for term in TERMS}
DOMAIN_CODES: tuple[str, ...] = tuple(term.code for term in DOMAINS)
NEED_CODES: tuple[str, ...] = tuple(term.code for term in NEEDS)


def term(code: str) -> Term:
    """The term with this code. Raises KeyError for an unknown code."""
    return TERMS_BY_CODE[code]


# --- Out of scope --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Signpost:
    name: str
    detail: str
    url: str = ""


@dataclass(frozen=True)
class OutOfScope:
    """Something people ask about that the recovery directory does not cover."""

    code: str
    topic: str
    phrases: tuple[str, ...]
    message: str
    where_to_go: tuple[Signpost, ...] = field(default_factory=tuple)


OUT_OF_SCOPE: tuple[OutOfScope, ...] = (
    OutOfScope(
        "gambling",
        "Gambling",
        (
            "gambling",
            "gamble",
            "gambler",
            "gambling addiction",
            "problem gambling",
            "betting",
            "bet",
            "bets",
            "bookies",
            "bookmakers",
            "casino",
            "online casino",
            "slots",
            "slot machines",
            "fruit machines",
            "scratch cards",
            "scratchcards",
            "sports betting",
            "lottery",
        ),
        "This directory covers drink and drugs, so it does not list gambling services. "
        "Free, confidential help with gambling is available straight away.",
        (
            Signpost(
                "National Gambling Helpline",
                "Free, confidential advice by phone or online chat, open 24 hours a day: call 0808 8020 133.",
                "https://www.gamcare.org.uk",
            ),
            Signpost(
                "NHS gambling clinics",
                "NHS specialist clinics treat people with serious gambling problems. You can refer yourself.",
                "https://www.nhs.uk/live-well/addiction-support/gambling-addiction/",
            ),
        ),
    ),
    OutOfScope(
        "smoking",
        "Smoking and vaping",
        (
            "smoking",
            "smoke",
            "stop smoking",
            "quit smoking",
            "give up smoking",
            "cigarettes",
            "cigarette",
            "fags",
            "tobacco",
            "nicotine",
            "vaping",
            "vape",
            "vapes",
            "e cigarette",
            "e cigarettes",
        ),
        "This directory does not list stop smoking or vaping services. Your local stop smoking service gives "
        "free support and medicines, and you are much more likely to quit with their help.",
        (
            Signpost(
                "NHS Quit Smoking",
                "Free tools, an app and details of your local stop smoking service.",
                "https://www.nhs.uk/better-health/quit-smoking/",
            ),
            Signpost(
                "Your local stop smoking service",
                "Your council runs a free stop smoking service. A GP or pharmacist can also help.",
            ),
        ),
    ),
    OutOfScope(
        "eating-disorders",
        "Eating disorders",
        (
            "eating disorder",
            "eating disorders",
            "anorexia",
            "anorexic",
            "bulimia",
            "bulimic",
            "binge eating",
            "arfid",
        ),
        "This directory does not list eating disorder services. Beat, the UK eating disorder charity, can help "
        "you or someone you care about, and a GP can refer you for NHS treatment.",
        (
            Signpost(
                "Beat",
                "Helpline, webchat and support groups for anyone affected by an eating disorder: call 0808 801 0677.",
                "https://www.beateatingdisorders.org.uk",
            ),
            Signpost("Your GP", "A GP can assess you and refer you to NHS eating disorder services."),
        ),
    ),
    OutOfScope(
        "gaming",
        "Gaming",
        ("gaming", "gaming addiction", "video games", "computer games", "gamer", "fortnite"),
        "This directory does not list services for problems with gaming. The NHS has a specialist service for "
        "gaming disorders.",
        (
            Signpost(
                "NHS National Centre for Gaming Disorders",
                "Specialist NHS help for people aged 13 and over whose gaming is harming their life. Ask your GP "
                "or refer yourself.",
            ),
        ),
    ),
    OutOfScope(
        "domestic-abuse",
        "Domestic abuse",
        (
            "domestic abuse",
            "domestic violence",
            "abusive partner",
            "abusive relationship",
            "coercive control",
            "he hits me",
            "she hits me",
        ),
        "This directory does not list domestic abuse services, but you can still use it to find help with drink "
        "or drugs. If you are in danger now, call 999.",
        (
            Signpost(
                "National Domestic Abuse Helpline",
                "Free, confidential support, open 24 hours a day: call 0808 2000 247.",
                "https://www.nationaldahelpline.org.uk",
            ),
        ),
    ),
)
OUT_OF_SCOPE_BY_CODE: dict[str, OutOfScope] = {item.code: item for item in OUT_OF_SCOPE}

# --- Matching ------------------------------------------------------------------------------------------------

STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "accept",
        "after",
        "all",
        "am",
        "an",
        "and",
        "any",
        "anyone",
        "anything",
        "are",
        "around",
        "as",
        "at",
        "be",
        "been",
        "being",
        "but",
        "by",
        "can",
        "cant",
        "could",
        "do",
        "does",
        "dont",
        "find",
        "for",
        "from",
        "get",
        "getting",
        "got",
        "has",
        "have",
        "help",
        "him",
        "her",
        "his",
        "how",
        "i",
        "im",
        "in",
        "into",
        "is",
        "it",
        "its",
        "just",
        "know",
        "like",
        "looking",
        "me",
        "more",
        "my",
        "near",
        "need",
        "needs",
        "of",
        "on",
        "or",
        "our",
        "please",
        "service",
        "services",
        "she",
        "some",
        "someone",
        "something",
        "support",
        "that",
        "the",
        "their",
        "them",
        "there",
        "they",
        "this",
        "to",
        "too",
        "us",
        "use",
        "uses",
        "using",
        "very",
        "want",
        "wants",
        "was",
        "we",
        "what",
        "when",
        "where",
        "which",
        "who",
        "with",
        "would",
        "you",
        "your",
    ]
)

_APOSTROPHES = str.maketrans({"\u2019": "", "\u2018": "", "'": "", "`": "", "\u02bc": ""})
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def normalise(text: str) -> str:
    """Lower-case words separated by single spaces (see the module docstring)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold().translate(_APOSTROPHES).replace("&", " and ")
    return " ".join(_NOT_WORD.split(text)).strip()


def words(text: str) -> list[str]:
    return normalise(text).split()


@dataclass(frozen=True)
class Match:
    phrase: str
    start: int
    length: int
    codes: tuple[str, ...] = ()
    out_of_scope: str = ""


@dataclass(frozen=True)
class Interpretation:
    text: str
    codes: tuple[str, ...]
    matches: tuple[Match, ...]
    out_of_scope: tuple[OutOfScope, ...]
    leftover: tuple[str, ...]

    @property
    def domains(self) -> tuple[str, ...]:
        return tuple(code for code in self.codes if TERMS_BY_CODE[code].kind == DOMAIN)

    @property
    def needs(self) -> tuple[str, ...]:
        return tuple(code for code in self.codes if TERMS_BY_CODE[code].kind == NEED)

    @property
    def is_empty(self) -> bool:
        return not (self.codes or self.out_of_scope or self.leftover)


@dataclass(frozen=True)
class _Phrase:
    words: tuple[str, ...]
    codes: tuple[str, ...]
    out_of_scope: str


@lru_cache(maxsize=1)
def phrase_index() -> dict[str, tuple[_Phrase, ...]]:
    """Every matchable phrase, indexed by its first word, longest first."""
    codes_for: dict[tuple[str, ...], list[str]] = {}
    for item in TERMS:
        for phrase in (item.name, *item.synonyms):
            key = tuple(words(phrase))
            if key:
                bucket = codes_for.setdefault(key, [])
                if item.code not in bucket:
                    bucket.append(item.code)
    scope_for: dict[tuple[str, ...], str] = {}
    for scope in OUT_OF_SCOPE:
        for phrase in scope.phrases:
            key = tuple(words(phrase))
            if key and key not in codes_for:
                scope_for.setdefault(key, scope.code)
    index: dict[str, list[_Phrase]] = {}
    for key, codes in codes_for.items():
        index.setdefault(key[0], []).append(_Phrase(key, tuple(codes), ""))
    for key, scope_code in scope_for.items():
        index.setdefault(key[0], []).append(_Phrase(key, (), scope_code))
    return {first: tuple(sorted(group, key=lambda p: -len(p.words))) for first, group in index.items()}


def interpret(text: str) -> Interpretation:
    """Map free text to taxonomy term codes, out-of-scope notices and leftover words.

    Pure and total: any string gives an answer, never an exception.
    """
    tokens = words(text or "")
    index = phrase_index()
    candidates: list[tuple[int, int, _Phrase]] = []
    for start, token in enumerate(tokens):
        for phrase in index.get(token, ()):
            length = len(phrase.words)
            if tuple(tokens[start : start + length]) == phrase.words:
                candidates.append((start, length, phrase))
    candidates.sort(key=lambda c: (-c[1], c[0]))
    taken = [False] * len(tokens)
    accepted: list[tuple[int, int, _Phrase]] = []
    for start, length, phrase in candidates:
        if any(taken[start : start + length]):
            continue
        for position in range(start, start + length):
            taken[position] = True
        accepted.append((start, length, phrase))
    accepted.sort(key=lambda c: c[0])

    codes: list[str] = []
    scopes: list[OutOfScope] = []
    matches: list[Match] = []
    for start, length, phrase in accepted:
        matches.append(Match(" ".join(phrase.words), start, length, phrase.codes, phrase.out_of_scope))
        for code in phrase.codes:
            if code not in codes:
                codes.append(code)
        if phrase.out_of_scope:
            scope = OUT_OF_SCOPE_BY_CODE[phrase.out_of_scope]
            if scope not in scopes:
                scopes.append(scope)
    leftover: list[str] = []
    for position, token in enumerate(tokens):
        if not taken[position] and token not in STOP_WORDS and token not in leftover:
            leftover.append(token)
    return Interpretation(
        text=text or "",
        codes=tuple(codes),
        matches=tuple(matches),
        out_of_scope=tuple(scopes),
        leftover=tuple(leftover),
    )
