from rosc.core.permissions import is_staff_user


def test_it_gives_every_staff_persona_a_staff_role(persona):
    from conftest import PUBLIC_PERSONAS, STAFF_PERSONAS

    assert all(is_staff_user(persona(name)) for name in STAFF_PERSONAS)
    assert not any(is_staff_user(persona(name)) for name in PUBLIC_PERSONAS)
