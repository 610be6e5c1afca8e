"""Reading settings from the environment (``core.env``): typed values, or a clear error."""

import pytest

from core.env import ImproperlyConfiguredEnv, env_bool, env_list


def test_env_bool_rejects_nonsense(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "maybe")
    with pytest.raises(ImproperlyConfiguredEnv, match="SOME_FLAG must be a boolean"):
        env_bool("SOME_FLAG")


def test_env_list_splits_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("SOME_LIST", "a.com, b.com,,")
    assert env_list("SOME_LIST") == ["a.com", "b.com"]
