"""All the services of one database, built together (by ``ensap_tui.bootstrap.open_services``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from ensap_tui.services.account import AccountService
from ensap_tui.services.activation import ActivationService
from ensap_tui.services.assistance import AgentService, AssistanceService
from ensap_tui.services.demo import DemoService
from ensap_tui.services.mailbox import MailboxService
from ensap_tui.services.ports import Clock, Hasher, Store, TokenSource
from ensap_tui.services.recovery import RecoveryService
from ensap_tui.services.registration import RegistrationService
from ensap_tui.services.signin import SignInService


@dataclass
class Services:
    """The use cases the UI and the command line call, sharing one store and one clock.

    ``idle_timeout`` is how long the signed-in space waits without a key before signing out;
    ``notices`` are French messages to show once at start (e.g. the secret kept in a file).
    """

    registration: RegistrationService
    activation: ActivationService
    sign_in: SignInService
    recovery: RecoveryService
    account: AccountService
    mailbox: MailboxService
    demo: DemoService
    agents: AgentService
    assistance: AssistanceService
    clock: Clock
    store: Store
    idle_timeout: timedelta = timedelta(minutes=10)
    notices: list[str] = field(default_factory=list)

    @classmethod
    def build(
        cls,
        *,
        store: Store,
        hasher: Hasher,
        clock: Clock,
        tokens: TokenSource,
        idle_timeout: timedelta,
        notices: list[str],
    ) -> Services:
        """Wires every service to the same store, hasher, clock and token source."""
        activation = ActivationService(store, clock, tokens)
        agents = AgentService(store, hasher, clock)
        return cls(
            registration=RegistrationService(store, hasher, clock, tokens),
            activation=activation,
            sign_in=SignInService(store, hasher, clock),
            recovery=RecoveryService(store, hasher, clock, tokens),
            account=AccountService(store, hasher, clock),
            mailbox=MailboxService(store),
            demo=DemoService(store, hasher, clock, tokens, agents),
            agents=agents,
            assistance=AssistanceService(store, clock, activation),
            clock=clock,
            store=store,
            idle_timeout=idle_timeout,
            notices=list(notices),
        )

    def close(self) -> None:
        """Closes the database; the services must not be used afterwards."""
        self.store.close()
