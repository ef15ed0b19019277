"""The hostile corpus (issue #9): one small governance repository per case, see ``cases.py``."""
