"""The cache: local memory by default, Redis (django-redis) at REDIS_URL.

CI (.ci/run) starts a throwaway Redis and sets REDIS_URL, so the Redis test
runs there; elsewhere it is skipped without REDIS_URL.
"""

import uuid

from .helpers import in_fresh_process

READ_CACHE_SETTINGS = "print(json.dumps(settings.CACHES['default']))"


def test_without_redis_url_the_cache_is_local_memory(tmp_path):
    cache = in_fresh_process(READ_CACHE_SETTINGS, tmp_path)

    assert cache["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_the_local_memory_cache_holds_a_big_sites_pages(tmp_path):
    # Both languages of 200 programmes, their organisations, regions,
    # countries and API answers: Django's default of 300 entries would cull
    # pages as fast as they are made.
    code = """
from django.core.cache import cache
for number in range(2000):
    cache.set(f"page-{number}", "x")
print(json.dumps(sum(cache.get(f"page-{n}") is not None for n in range(2000))))
"""
    assert in_fresh_process(code, tmp_path) == 2000


def test_with_redis_url_the_cache_is_redis_and_survives_an_outage(tmp_path):
    cache = in_fresh_process(
        READ_CACHE_SETTINGS, tmp_path, REDIS_URL="redis://127.0.0.1:6379/1"
    )

    assert cache["BACKEND"] == "django_redis.cache.RedisCache"
    assert cache["LOCATION"] == "redis://127.0.0.1:6379/1"
    assert cache["OPTIONS"]["IGNORE_EXCEPTIONS"] is True


ROUND_TRIP = """
from django.core.cache import cache
from django_redis import get_redis_connection
key = {key!r}
cache.set(key, {{"programme": "AIRCOP", "countries": ["gh", "sn"]}}, timeout=60)
value = cache.get(key)
# The value really went through Redis, not through some local fallback.
stored = get_redis_connection("default").exists(cache.make_key(key))
cache.delete(key)
print(json.dumps({{"value": value, "stored": stored, "after_delete": cache.get(key)}}))
"""


def test_the_configured_cache_round_trips_a_value_through_redis(tmp_path, redis_url):
    key = f"test-cache-{uuid.uuid4()}"

    answers = in_fresh_process(
        ROUND_TRIP.format(key=key), tmp_path, REDIS_URL=redis_url
    )

    assert answers == {
        "value": {"programme": "AIRCOP", "countries": ["gh", "sn"]},
        "stored": 1,
        "after_delete": None,
    }


UNREACHABLE = """
import time
from django.core.cache import cache
start = time.monotonic()
cache.set("key", "value")
value = cache.get("key", "default")
print(json.dumps({"value": value, "seconds": time.monotonic() - start}))
"""


def test_an_unreachable_redis_makes_the_cache_miss_instead_of_failing(tmp_path):
    # Nothing listens on port 9 (discard): every call fails to connect.
    answers = in_fresh_process(UNREACHABLE, tmp_path, REDIS_URL="redis://127.0.0.1:9/0")

    assert answers["value"] == "default"
    assert answers["seconds"] < 5
