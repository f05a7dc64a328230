"""The recovery taxonomy and how free text is read. Pure: no database."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rosc.directory import taxonomy
from rosc.directory.taxonomy import interpret

ISSUE_DOMAINS = {
    "clinical-treatment",
    "prescribing",
    "inpatient-detox",
    "residential-rehab",
    "psychosocial-support",
    "peer-support",
    "mutual-aid",
    "recovery-community-space",
    "mental-health",
    "housing",
    "employment-training",
    "family-support",
    "criminal-justice",
    "harm-reduction",
    "online-telehealth",
    "crisis",
}


def test_it_has_every_domain_the_directory_needs():
    assert set(taxonomy.DOMAIN_CODES) >= ISSUE_DOMAINS


def test_it_has_the_needs_and_circumstances_services_are_for():
    expected = {
        "alcohol",
        "opiates",
        "crack-cocaine",
        "cocaine",
        "cannabis",
        "new-psychoactive-substances",
        "benzodiazepines",
        "medicines",
        "chemsex",
        "young-people",
        "young-adults",
        "older-adults",
        "women-only",
        "men-only",
        "pregnancy",
        "parent-carer",
        "veteran",
        "student",
        "mental-health-need",
        "no-stable-housing",
        "language",
        "family-friend",
        "criminal-justice-involvement",
    }
    assert expected <= set(taxonomy.NEED_CODES)


def test_it_gives_every_term_a_fixed_id_from_its_code():
    ids = [term.id for term in taxonomy.TERMS]
    assert len(set(ids)) == len(ids)
    assert taxonomy.term("residential-rehab").id == uuid.uuid5(taxonomy.TAXONOMY_NAMESPACE, "term/residential-rehab")


def test_it_keeps_codes_unique_and_parents_known():
    codes = [term.code for term in taxonomy.TERMS]
    assert len(set(codes)) == len(codes)
    for term in taxonomy.TERMS:
        assert not term.parent or term.parent in taxonomy.TERMS_BY_CODE


def test_it_writes_synonyms_in_lower_case_one_phrase_each():
    for term in taxonomy.TERMS:
        assert term.name
        assert term.description
        for synonym in term.synonyms:
            assert synonym == synonym.lower().strip()
            assert "\n" not in synonym
            assert taxonomy.words(synonym), synonym


def test_it_never_lets_an_out_of_scope_phrase_share_a_phrase_with_a_term():
    in_scope = {tuple(taxonomy.words(s)) for term in taxonomy.TERMS for s in (term.name, *term.synonyms)}
    for scope in taxonomy.OUT_OF_SCOPE:
        assert scope.message
        assert scope.where_to_go
        for phrase in scope.phrases:
            assert tuple(taxonomy.words(phrase)) not in in_scope, phrase


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("rehab", {"residential-rehab"}),
        ("detox", {"inpatient-detox", "community-detox"}),
        ("AA", {"mutual-aid"}),
        ("NA", {"mutual-aid"}),
        ("alcoholics anonymous", {"mutual-aid"}),
        ("Cocaine Anonymous", {"mutual-aid"}),
        ("SMART Recovery", {"mutual-aid"}),
        ("methadone", {"prescribing"}),
        ("on a script", {"prescribing"}),
        ("subutex", {"prescribing"}),
        ("heroin", {"opiates"}),
        ("smack", {"opiates"}),
        ("nitazenes", {"opiates"}),
        ("spice", {"new-psychoactive-substances"}),
        ("naloxone", {"harm-reduction"}),
        ("clean needles", {"harm-reduction"}),
        ("booze", {"alcohol"}),
        ("my son drinks", {"alcohol", "family-friend"}),
        ("my husband drinks", {"alcohol", "family-friend"}),
        ("sofa surfing", {"housing", "no-stable-housing"}),
    ],
)
def test_it_reads_the_words_people_really_type(text, codes):
    assert set(interpret(text).codes) == codes


def test_it_reads_several_things_in_one_sentence():
    result = interpret("My son drinks and he needs a detox near Basildon")
    assert {"alcohol", "family-friend", "inpatient-detox", "community-detox"} <= set(result.codes)
    assert "basildon" in result.leftover


def test_it_prefers_the_longest_phrase():
    result = interpret("inpatient detox")
    assert result.codes == ("inpatient-detox",)
    assert [match.phrase for match in result.matches] == ["inpatient detox"]


def test_it_reads_smoking_weed_as_cannabis_not_as_smoking():
    result = interpret("smoking weed")
    assert result.codes == ("cannabis",)
    assert result.out_of_scope == ()


def test_it_says_gambling_is_not_covered_and_where_to_go():
    result = interpret("I think my husband has a gambling problem")
    assert [scope.code for scope in result.out_of_scope] == ["gambling"]
    scope = result.out_of_scope[0]
    assert "does not list gambling" in scope.message
    assert any("National Gambling Helpline" in signpost.name for signpost in scope.where_to_go)
    assert "gambling" not in result.leftover


def test_it_signposts_smoking_and_eating_disorders_elsewhere():
    assert [s.code for s in interpret("help to quit vaping").out_of_scope] == ["smoking"]
    assert [s.code for s in interpret("my daughter has anorexia").out_of_scope] == ["eating-disorders"]


def test_it_still_reads_drink_alongside_an_out_of_scope_topic():
    result = interpret("gambling and drinking")
    assert result.codes == ("alcohol",)
    assert [scope.code for scope in result.out_of_scope] == ["gambling"]


def test_it_ignores_case_and_punctuation():
    assert interpret("ReHaB!!!").codes == ("residential-rehab",)
    assert set(interpret("Co-existing mental-health need").codes) >= {"mental-health-need"}
    assert interpret("someone else\u2019s drinking").codes == interpret("someone else's drinking").codes
    assert "family-friend" in interpret("someone else\u2019s drinking").codes


def test_it_matches_whole_words_only():
    assert interpret("banana").codes == ()
    assert interpret("canal boat").codes == ()
    assert interpret("aardvark").codes == ()
    assert interpret("methadone").codes == ("prescribing",)
    assert "mutual-aid" not in interpret("panacea").codes


def test_it_returns_leftover_words_without_little_words():
    result = interpret("I need help with rehab in Chelmsford please")
    assert result.codes == ("residential-rehab",)
    assert result.leftover == ("chelmsford",)


def test_it_splits_domains_from_needs():
    result = interpret("rehab for alcohol")
    assert result.domains == ("residential-rehab",)
    assert result.needs == ("alcohol",)


def test_it_gives_an_empty_answer_for_empty_text():
    result = interpret("")
    assert result.is_empty
    assert interpret("   ,.;  ").is_empty


@given(st.text())
def test_it_never_raises_on_any_text(text):
    result = interpret(text)
    assert set(result.codes) <= set(taxonomy.TERMS_BY_CODE)
    assert len(result.codes) == len(set(result.codes))
    for word in result.leftover:
        assert word == word.lower()
        assert word not in taxonomy.STOP_WORDS


@given(st.lists(st.sampled_from(["rehab", "aa", "banana", "my", "son", "drinks", "gambling", "detox", "x"])))
def test_it_never_uses_a_word_twice(words):
    result = interpret(" ".join(words))
    taken: list[int] = []
    for match in result.matches:
        taken.extend(range(match.start, match.start + match.length))
    assert len(taken) == len(set(taken))
