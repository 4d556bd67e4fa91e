"""convene.fingerprint: checksums of repository files and package versions."""

from __future__ import annotations

from convene.fingerprint import code_digest, digest_of


def test_the_digest_names_files_packages_and_their_order():
    base = digest_of(["compare/roles.py"], ["numpy"])
    assert base == code_digest(("compare/roles.py",), ("numpy",))
    others = {digest_of(["compare/roles.py", "compare/diff.py"], ["numpy"]),
              digest_of(["compare/diff.py", "compare/roles.py"], ["numpy"]),
              digest_of(["compare/roles.py"], ["numpy", "scipy"]),
              digest_of(["compare/roles.py"], []),
              digest_of([], ["numpy"])}
    assert base not in others and len(others) == 5


def test_missing_files_and_packages_count_as_missing_not_as_errors():
    assert digest_of(["no/such/file.py"], ["no-such-package-xyz"]) != digest_of([], [])
