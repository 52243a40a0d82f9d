"""Sign-in protection and security headers: lockout, two-factor sign-in, cookies, HSTS, CSP."""

import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

PASSWORD = "correct horse battery staple"
LOGIN = "/admin/login/?next=/admin/"


def sign_in(client, username, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def code_for(device):
    return str(totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)).zfill(
        device.digits
    )


@pytest.fixture
def editor_with_app(editor):
    return TOTPDevice.objects.create(user=editor, name="Phone", confirmed=True)


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_account_out_with_a_generic_page(client, editor):
    for _ in range(4):
        assert sign_in(client, "editor", "wrong password").status_code == 200
    assert sign_in(client, "editor", "wrong password").status_code == 429
    response = sign_in(client, "editor")
    assert response.status_code == 429
    assertContains(response, "Too many sign-in attempts", status_code=429)
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_lockout_page_is_the_same_for_an_account_that_does_not_exist(client):
    for _ in range(5):
        sign_in(client, "nobody", "wrong password")
    response = sign_in(client, "nobody", "wrong password")
    assert response.status_code == 429
    assertContains(response, "Too many sign-in attempts", status_code=429)
    assertNotContains(response, "nobody", status_code=429)


@pytest.mark.django_db
def test_a_correct_password_before_the_limit_resets_the_count(client, editor):
    for _ in range(4):
        sign_in(client, "editor", "wrong password")
    assertRedirects(sign_in(client, "editor"), "/admin/", fetch_redirect_response=False)
    client.logout()
    for _ in range(4):
        sign_in(client, "editor", "wrong password")
    assertRedirects(sign_in(client, "editor"), "/admin/", fetch_redirect_response=False)


@pytest.mark.django_db
def test_weak_passwords_are_refused():
    for weak in ["password123", "12345678901234", "short"]:
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("plum orbit lantern seventy")


@pytest.mark.django_db
def test_staff_without_an_authenticator_sign_in_with_a_password(client, editor):
    assertRedirects(sign_in(client, "editor"), "/admin/", fetch_redirect_response=False)
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_an_account_with_an_authenticator_needs_its_code(client, editor_with_app):
    response = sign_in(client, "editor")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assertContains(response, "otp_token")

    response = sign_in(client, "editor", otp_token=code_for(editor_with_app))
    assertRedirects(response, "/admin/", fetch_redirect_response=False)
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_a_wrong_code_from_the_authenticator_is_refused(client, editor_with_app):
    wrong = "000000" if code_for(editor_with_app) != "000000" else "111111"
    response = sign_in(client, "editor", otp_token=wrong)
    assertContains(response, "Invalid token")
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_required_two_factor_keeps_the_admin_closed_until_set_up(client, settings, editor):
    settings.NEWSROOM_TWO_FACTOR_GROUPS = ["Editors"]
    sign_in(client, "editor")
    response = client.get("/admin/")
    assert response.status_code == 302
    login_page = client.get(response["Location"])
    assertContains(login_page, "Set up two-factor sign-in")

    setup = client.get("/staff/two-factor/")
    assertContains(setup, "<svg")
    device = TOTPDevice.objects.get(user__username="editor", confirmed=False)
    response = client.post("/staff/two-factor/", {"token": code_for(device)})
    assertRedirects(response, "/staff/two-factor/")
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_required_two_factor_applies_only_to_the_named_groups(client, settings, reporter):
    settings.NEWSROOM_TWO_FACTOR_GROUPS = ["Editors"]
    sign_in(client, "reporter")
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_a_wrong_code_does_not_turn_two_factor_on(client, editor):
    client.force_login(editor)
    client.get("/staff/two-factor/")
    device = TOTPDevice.objects.get(user=editor)
    wrong = "000000" if code_for(device) != "000000" else "111111"
    response = client.post("/staff/two-factor/", {"token": wrong})
    assertContains(response, "did not match", status_code=400)
    device.refresh_from_db()
    assert not device.confirmed


@pytest.mark.django_db
def test_two_factor_setup_needs_a_signed_in_user(client):
    response = client.get("/staff/two-factor/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_secure_httponly_and_same_site(client, editor):
    sign_in(client, "editor")
    for name in ["sessionid", "csrftoken"]:
        cookie = client.cookies[name]
        assert cookie["secure"] is True, name
        assert cookie["httponly"] is True, name
        assert cookie["samesite"] == "Lax", name


@pytest.mark.django_db
def test_https_responses_carry_hsts_for_a_year_with_subdomains(client):
    response = client.get("/", secure=True)
    hsts = response["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts
    assert "includeSubDomains" in hsts


@pytest.mark.django_db
def test_public_pages_allow_nothing_but_the_site_itself(client):
    policy = directives(client.get("/")["Content-Security-Policy"])
    assert policy["default-src"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'self'" in policy["script-src"]
    assert not {"'unsafe-inline'", "'unsafe-eval'"} & set(policy["script-src"])
    assert "'unsafe-inline'" not in policy["style-src"]


@pytest.mark.django_db
def test_admin_pages_allow_their_inline_scripts_by_hash_only(admin_client):
    response = admin_client.get("/admin/articles/article/add/")
    policy = directives(response["Content-Security-Policy"])
    assert not {"'unsafe-inline'", "'unsafe-eval'"} & set(policy["script-src"])
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", response.content.decode())
    hashes = [source for source in policy["script-src"] if source.startswith("'sha256-")]
    assert inline and len(hashes) == len(inline)
    assert policy["object-src"] == ["'none'"]


@pytest.mark.django_db
def test_every_response_says_nosniff_referrer_policy_and_opener_policy(client):
    for url in ["/", "/news/", "/robots.txt", "/admin/login/"]:
        response = client.get(url)
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", url
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", url


def directives(header):
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}
