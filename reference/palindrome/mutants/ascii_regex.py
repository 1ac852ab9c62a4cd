# Cleans with the ASCII-only regex [^a-z0-9], so letters and digits outside ASCII are dropped.
import re


def is_palindrome(s):
    cleaned = re.sub(r"[^a-z0-9]", "", s.lower())
    return cleaned == cleaned[::-1]
