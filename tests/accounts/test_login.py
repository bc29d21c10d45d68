from pregon.core.models import AuditEntry


def test_login_page_is_spanish(client, db):
    response = client.get("/cuenta/entrar/")
    content = response.content.decode()
    assert response.status_code == 200
    assert 'lang="es-MX"' in content
    assert "Entrar a Pregón" in content and "Contraseña" in content


def test_login_success_goes_home_and_is_audited(client, mariana):
    response = client.post(
        "/cuenta/entrar/", {"username": "mariana", "password": "mariana-clave-segura-1"}
    )
    assert response.status_code == 302 and response.url == "/"
    assert AuditEntry.objects.filter(verb="accounts.login", actor=mariana).exists()
    assert "Buenos días, Mariana" in client.get("/").content.decode()


def test_wrong_password_gets_spanish_message(client, mariana):
    response = client.post("/cuenta/entrar/", {"username": "mariana", "password": "mala"})
    assert response.status_code == 200
    assert "Usuario o contraseña incorrectos" in response.content.decode()


def test_login_throttled_after_repeated_failures(client, mariana, settings):
    settings.PREGON_LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        client.post("/cuenta/entrar/", {"username": "mariana", "password": "mala"})
    # Even the right password is refused while locked.
    response = client.post(
        "/cuenta/entrar/", {"username": "mariana", "password": "mariana-clave-segura-1"}
    )
    assert response.status_code == 200
    assert "Demasiados intentos fallidos" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_passwords_hashed_with_argon2(mariana):
    assert mariana.password.startswith("argon2")


def test_password_change_in_spanish(client, mariana):
    client.force_login(mariana)
    response = client.post(
        "/cuenta/contrasena/",
        {
            "old_password": "mariana-clave-segura-1",
            "new_password1": "Otra-clave-muy-segura-2023",
            "new_password2": "Otra-clave-muy-segura-2023",
        },
    )
    assert response.status_code == 302
    mariana.refresh_from_db()
    assert mariana.check_password("Otra-clave-muy-segura-2023")


def test_password_change_errors_in_spanish(client, mariana):
    client.force_login(mariana)
    response = client.post(
        "/cuenta/contrasena/",
        {
            "old_password": "no-es-la-mia",
            "new_password1": "Otra-clave-muy-segura-2023",
            "new_password2": "Otra-clave-distinta-2023",
        },
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "La antigua contraseña introducida es incorrecta" in content
    assert "Los dos campos de contraseña no coinciden." in content
    mariana.refresh_from_db()
    assert mariana.check_password("mariana-clave-segura-1")  # unchanged


def test_logout_requires_post_and_ends_session(client, mariana):
    client.force_login(mariana)
    assert client.get("/cuenta/salir/").status_code == 405  # a link cannot log her out
    assert "Buenos días, Mariana" in client.get("/").content.decode()
    client.post("/cuenta/salir/")
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/cuenta/entrar/")


def test_passwords_use_owasp_argon2_parameters(mariana):
    # argon2id, 19 MiB, 2 passes, 1 lane (OWASP Password Storage Cheat Sheet).
    assert mariana.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


def test_old_argon2_hash_is_upgraded_on_next_login(client, mariana):
    from django.contrib.auth.hashers import Argon2PasswordHasher

    old = Argon2PasswordHasher()  # Django's defaults: 100 MiB, parallelism 8
    mariana.password = old.encode("mariana-clave-segura-1", old.salt())
    mariana.save()
    assert "m=102400,t=2,p=8" in mariana.password
    response = client.post(
        "/cuenta/entrar/", {"username": "mariana", "password": "mariana-clave-segura-1"}
    )
    assert response.status_code == 302
    mariana.refresh_from_db()
    assert "m=19456,t=2,p=1" in mariana.password
    assert mariana.check_password("mariana-clave-segura-1")
