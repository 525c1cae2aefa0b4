"""Scenario files: one TOML definition of a journey, played live at a human pace for a demo
(``player``), verified headless for a test (``verifier``), written from a session
(``recorder``). ``format`` reads and checks a file before anything runs; ``runner`` performs
the steps on the real app through the tester's ids of ``docs/TESTING.md``.

Nothing here is imported when the application starts: only the ``scenario`` commands do.
"""
