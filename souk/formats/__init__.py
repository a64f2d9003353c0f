"""Date and number formats that replace Django's for some languages (FORMAT_MODULE_PATH).

Only what differs is defined here; every other format falls back to Django's locale module.
"""
