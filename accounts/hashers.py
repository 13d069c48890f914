"""Password hashing cost, chosen for this server rather than left at Django's defaults."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class WardArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id at OWASP's recommended minimum (19 MiB, two passes, one lane). Django's
    default (100 MiB, eight lanes) costs about 150 ms of CPU per login, so a morning's
    logins on a two-core server queue behind each other; this costs about 35 ms. Hashes
    made with other parameters still verify and are redone on the next login."""

    time_cost = 2
    memory_cost = 19456
    parallelism = 1
