"""Settings from GRAPHSVC_* variables: typed like their defaults, empty as documented."""

from __future__ import annotations

from graphsvc import config


def test_values_take_the_type_of_their_default():
    found = config.load(
        environ={
            "GRAPHSVC_COMPUTE_BUDGET": "7.5",
            "GRAPHSVC_TRUSTED_PROXIES": "2",
            "GRAPHSVC_WARM_UP": "off",
        }
    )
    assert (found["COMPUTE_BUDGET"], found["TRUSTED_PROXIES"], found["WARM_UP"]) == (7.5, 2, False)


def test_an_empty_cache_dir_turns_the_disk_cache_off_while_other_empties_keep_the_default():
    assert config.load(environ={})["CACHE_DIR"] == "var/cache"
    assert config.load(environ={"GRAPHSVC_CACHE_DIR": "/srv/cache"})["CACHE_DIR"] == "/srv/cache"
    assert config.load(environ={"GRAPHSVC_CACHE_DIR": ""})["CACHE_DIR"] == ""
    assert config.load(environ={"GRAPHSVC_COMPUTE_BUDGET": ""})["COMPUTE_BUDGET"] == 20.0
