"""The second factor: a TOTP authenticator app (RFC 6238) and single-use recovery codes.

Required of staff (`is_staff`, superusers, `accounts.manage_payouts`), offered to everyone else
from the account page. A session counts as verified once a code was accepted in it
(session.py); until then middleware.py sends the person to the verification or the enrolment
page. Re-authentication ("confirm it's you": the password, and a code when the account has a
second factor) guards changes such as a payout destination (docs/security.md).
"""
