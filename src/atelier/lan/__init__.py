"""Phones over the room's network: the room (UI-free) and the participant server.

Nothing here is imported at start-up: only when the facilitator switches phones on.
"""
