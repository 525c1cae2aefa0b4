"""The app's navigator: the one place that knows which screen shows each destination.

Screens ask for a destination (``ui/screens/navigation.py``); this module builds the screen and
moves through the stack. The screens are imported when first opened, not at start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ensap_tui.ui.screens import navigation as to
from ensap_tui.ui.screens.base import EnsapScreen

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

    from ensap_tui.services.models import RegistrationRequest
    from ensap_tui.ui.registration import RegistrationController


class AppNavigator:
    """Implements :class:`~ensap_tui.ui.screens.navigation.Navigator` for ``app``.

    It keeps the registration controller of the wizard in progress (one at a time: «Créer mon
    espace» starts a new one with an empty draft).
    """

    def __init__(self, app: App[Any]) -> None:
        self._app = app
        self._registration: RegistrationController | None = None

    def screen_for(self, destination: to.Destination) -> Screen[Any]:
        """A new screen showing ``destination``."""
        # Imported here: only the home page is loaded at start-up (see ``ui/app.py``).
        match destination:
            case to.Registration():
                return self.wizard(None).first_step()
            case to.SignIn(notice=notice):
                from ensap_tui.ui.screens.sign_in import SignInScreen

                return SignInScreen(notice=notice)
            case to.Activation(link=link, follow=follow):
                from ensap_tui.ui.screens.activation import ActivationScreen

                return ActivationScreen(link, follow=follow)
            case to.Mailbox():
                from ensap_tui.ui.screens.mailbox import MailboxScreen

                return MailboxScreen()
            case to.ForgotPassword():
                from ensap_tui.ui.screens.forgot_password import ForgotPasswordScreen

                return ForgotPasswordScreen()
            case to.ResetPassword(link=link):
                from ensap_tui.ui.screens.reset_password import ResetPasswordScreen

                return ResetPasswordScreen(link)
            case to.Espace(session=session):
                from ensap_tui.ui.screens.espace import EspaceScreen

                return EspaceScreen(session)
            case to.ChangePassword(session=session):
                from ensap_tui.ui.screens.change_password import ChangePasswordScreen

                return ChangePasswordScreen(session)
            case to.ChangeContacts(session=session):
                from ensap_tui.ui.screens.change_contacts import ChangeContactsScreen

                return ChangeContactsScreen(session)
            case to.AgentSignIn():
                from ensap_tui.ui.screens.agent_sign_in import AgentSignInScreen

                return AgentSignInScreen()
            case to.Console(session=agent):
                from ensap_tui.ui.screens.console import ConsoleScreen

                return ConsoleScreen(agent)

    def open(
        self, destination: to.Destination, callback: Callable[[Any], None] | None = None
    ) -> None:
        """Shows ``destination`` over the current screen."""
        self._app.push_screen(self.screen_for(destination), callback)

    def return_to(self, destination: to.Destination) -> None:
        """Back to the nearest screen of ``destination``'s kind (closing those above it, and
        showing the destination's notice there), or a new one when there is none.

        Used after a reset or an expired link, where the journey loops back to a screen the
        person came through (sign-in, «Mot de passe oublié»): going back keeps Escape meaningful.
        """
        made = self.screen_for(destination)
        for screen in reversed(self._app.screen_stack[:-1]):
            if isinstance(screen, type(made)):
                screen.pop_until_active()
                if isinstance(screen, EnsapScreen):
                    screen.clear_errors()  # never old errors under what is typed now
                if isinstance(destination, to.SignIn) and destination.notice:
                    from ensap_tui.ui.screens.sign_in import SignInScreen

                    if isinstance(screen, SignInScreen):
                        screen.show_notice(destination.notice, "succes")
                return
        self._app.push_screen(made)

    def return_home(self, then: to.Destination | Screen[Any] | None = None) -> None:
        """Closes every screen above the home page, then opens ``then`` over it if given.

        With ``then``, the screens between the home page and the one in front are removed
        without being shown again on the way, and ``then`` replaces the one in front: the home
        page and the steps under the finalisation were each made current in turn before (their
        focus and styles restored, their layout refreshed, the screen change signalled), about a
        sixth of the CPU the passage to step 4 took."""
        app = self._app
        screen = self.screen_for(then) if isinstance(then, to.Destination) else then

        async def unwind() -> None:
            with app.batch_update():
                if screen is not None and len(app.screen_stack) > 1:
                    # Textual has no public way to drop screens below the top one: the stack
                    # and its removal are the ones pop_screen uses (textual is pinned < 8.3).
                    stack = app._screen_stack
                    while len(stack) > 2:
                        hidden = stack.pop(-2)
                        hidden._pop_result_callback()
                        await app._replace_screen(hidden)
                    await app.switch_screen(screen)
                    return
                while len(app.screen_stack) > 1:
                    await app.pop_screen()
                if screen is not None:
                    await app.push_screen(screen)

        app.call_later(unwind)

    def wizard(self, draft: RegistrationRequest | None) -> RegistrationController:
        """The registration controller of ``draft``: the current one, or a new one (with a new,
        empty draft for ``None``). A step opened on its own (as tests do) finds one this way."""
        from ensap_tui.ui.registration import RegistrationController

        current = self._registration
        if current is not None and draft is not None and current.draft is draft:
            return current
        self._registration = RegistrationController(self, self._app, draft)
        return self._registration
