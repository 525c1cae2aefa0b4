"""Helpers shared by every test folder, one module per subject:

- :mod:`tests.support.people`: the people, passwords and agents the tests register;
- :mod:`tests.support.accounts`: registering, activating and reading back through the services;
- :mod:`tests.support.keyrings`: keyring backends installed in the test process;
- :mod:`tests.support.keyrings_by_name`: keyring backends for programs the tests start (never
  imported by the test process, see its docstring);
- :mod:`tests.support.programs`: the environment of a started program, running the command line
  as a real program, and stopping a program by its process id.
- :mod:`tests.support.waiting`: letting an app under Pilot run until a condition holds (the
  focus on a widget, ...), never for a time.
"""
