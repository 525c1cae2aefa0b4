"""All the services of one database, built together (by ``ensap_tui.bootstrap.open_services``)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from ensap_tui.services.account import AccountService
    from ensap_tui.services.activation import ActivationService
    from ensap_tui.services.agents import AgentService
    from ensap_tui.services.assistance import AssistanceService
    from ensap_tui.services.demo import DemoService
    from ensap_tui.services.mailbox import MailboxService
    from ensap_tui.services.ports import Clock, DamagedRecord, Hasher, Store, TokenSource
    from ensap_tui.services.recovery import RecoveryService
    from ensap_tui.services.registration import RegistrationService
    from ensap_tui.services.room import RoomService
    from ensap_tui.services.signin import SignInService

_S = TypeVar("_S")


class Services:
    """The use cases the UI and the command line call, sharing one store and one clock.

    ``idle_timeout`` is how long the signed-in space waits without a key before signing out;
    ``notices`` are French messages to show once at start (e.g. the secret kept in a file);
    ``demo_agent_password`` fixes the demo agent's password (tests; drawn otherwise);
    ``real_clock`` is the real time under any offset (the base of the training room's clocks
    and of its postes' heartbeats; ``clock`` when not given).
    ``poste_id`` makes them the services of a training room's poste (issue 12): the spaces
    they create and the events they write are the poste's (``services/_poste_scope.py``), the
    mailbox lists the poste's mails only; ``clock`` is then the poste's clock (built by the
    composition root). The help desk still sees every space.
    Each service is made (and its module imported) the first time it is asked for, once, from
    any thread: the home page is drawn before any of them is needed.
    """

    def __init__(
        self,
        *,
        store: Store,
        hasher: Hasher,
        clock: Clock,
        tokens: TokenSource,
        idle_timeout: timedelta = timedelta(minutes=10),
        notices: Iterable[str] = (),
        demo_agent_password: str | None = None,
        real_clock: Clock | None = None,
        poste_id: int | None = None,
    ) -> None:
        #: The poste these services belong to (None outside a training room).
        self.poste_id = poste_id
        #: The store as the database is: the demo's seeding and the room's own records.
        self.database = store
        self.store: Store = store
        if poste_id is not None:
            from ensap_tui.services._poste_scope import PosteStore

            self.store = PosteStore(store, poste_id)
        self.real_clock = real_clock or clock
        self._demo_agent_password = demo_agent_password
        self.clock = clock
        self.idle_timeout = idle_timeout
        self.notices = list(notices)
        self._hasher = hasher
        self._tokens = tokens
        self._made: dict[str, object] = {}
        self._lock = threading.Lock()

    def take_damaged(self) -> list[DamagedRecord]:
        """The damaged rows the lists read on this thread left out since the last call (see
        :meth:`~ensap_tui.services.ports.Store.take_damaged`)."""
        return self.store.take_damaged()

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
        demo_agent_password: str | None = None,
        real_clock: Clock | None = None,
        poste_id: int | None = None,
    ) -> Services:
        """Wires every service to the same store, hasher, clock and token source."""
        return cls(
            real_clock=real_clock,
            poste_id=poste_id,
            store=store,
            hasher=hasher,
            clock=clock,
            tokens=tokens,
            idle_timeout=idle_timeout,
            notices=notices,
            demo_agent_password=demo_agent_password,
        )

    def _service(self, name: str, make: Callable[[], _S]) -> _S:
        with self._lock:  # a worker thread and the screen may ask for the same one at once
            if name not in self._made:
                self._made[name] = make()
            return self._made[name]  # type: ignore[return-value]

    @property
    def registration(self) -> RegistrationService:
        from ensap_tui.services.registration import RegistrationService

        return self._service(
            "registration",
            lambda: RegistrationService(
                self.store, self._hasher, self.clock, self._tokens, self.real_clock
            ),
        )

    @property
    def activation(self) -> ActivationService:
        from ensap_tui.services.activation import ActivationService

        return self._service(
            "activation",
            lambda: ActivationService(self.store, self.clock, self._tokens, self.real_clock),
        )

    @property
    def sign_in(self) -> SignInService:
        from ensap_tui.services.signin import SignInService

        return self._service(
            "sign_in",
            lambda: SignInService(self.store, self._hasher, self.clock, self.real_clock),
        )

    @property
    def recovery(self) -> RecoveryService:
        from ensap_tui.services.recovery import RecoveryService

        return self._service(
            "recovery",
            lambda: RecoveryService(
                self.store, self._hasher, self.clock, self._tokens, self.real_clock
            ),
        )

    @property
    def account(self) -> AccountService:
        from ensap_tui.services.account import AccountService

        return self._service(
            "account",
            lambda: AccountService(self.store, self._hasher, self.clock, self.real_clock),
        )

    @property
    def mailbox(self) -> MailboxService:
        from ensap_tui.services.mailbox import MailboxService

        return self._service("mailbox", lambda: MailboxService(self.store, self.poste_id))

    @property
    def agents(self) -> AgentService:
        from ensap_tui.services.agents import AgentService

        return self._service("agents", lambda: AgentService(self.store, self._hasher, self.clock))

    @property
    def assistance(self) -> AssistanceService:
        # Once built, given back without the import, the lock and ``activation`` (4 us): the
        # help desk's console asks for it at each search.
        made = self._made.get("assistance")
        if made is not None:
            return made  # type: ignore[return-value]
        from ensap_tui.services.assistance import AssistanceService

        # Built outside the lock: asking for ``activation`` takes it too.
        activation = self.activation
        return self._service(
            "assistance",
            lambda: AssistanceService(self.store, self.clock, activation, self.real_clock),
        )

    @property
    def demo(self) -> DemoService:
        from ensap_tui.services.demo import DemoService

        agents = self.agents
        return self._service(
            "demo",
            lambda: DemoService(
                self.database, self._hasher, self.clock, self._tokens, agents,
                agent_password=self._demo_agent_password,
            ),
        )

    @property
    def room(self) -> RoomService:
        from ensap_tui.services.room import RoomService

        return self._service(
            "room", lambda: RoomService(self.database, self.real_clock, self._tokens)
        )

    def close(self) -> None:
        """Closes the database; the services must not be used afterwards."""
        self.store.close()
