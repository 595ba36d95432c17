"""Marshmallow schemas for every payload, created once at module level.

Browser payloads use ``unknown = EXCLUDE`` so an older collector accepts a newer snippet;
admin input keeps ``RAISE`` so typos are errors.
"""
