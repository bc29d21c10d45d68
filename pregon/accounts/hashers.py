"""Password hashing: Argon2id with OWASP's recommended parameters.

Django's defaults (100 MiB, parallelism 8) cost about 230 ms and 100 MiB of worker
memory per login on a small server. OWASP's Password Storage Cheat Sheet lists
m=19 MiB, t=2, p=1 as an equally acceptable Argon2id configuration. The algorithm
name stays "argon2", so hashes made with other parameters still verify and Django
re-hashes them with these on the person's next successful login (`must_update`).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
