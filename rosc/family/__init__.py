"""Family members' own support: accounts, wellbeing check-ins, family groups and what a relative shares."""
