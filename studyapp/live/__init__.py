"""The live in-class quiz, Kahoot-style: a host runs a game from a Quiz, players join with a PIN and a
nickname and answer on their phones over WebSockets (or plain HTTP polling when WebSockets are
blocked). Scoring is pure (:mod:`studyapp.live.scoring`); every answer is stored as it arrives
(:mod:`studyapp.live.services`), so a reload, a dropped connection or a server restart loses nothing.
"""
