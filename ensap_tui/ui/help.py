"""The help page of each screen (F1), and the dialog that shows it.

Every screen names its page with ``HELP_TOPIC``; :data:`HELP_TOPICS` holds one French text
(Markdown, written by us: nothing typed by a user ever goes into it) per topic.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Markdown, Static

_KEYS = """
### Les touches

- **Tab / Maj+Tab** : passer au champ suivant / précédent ;
- **Entrée** : valider l'étape (ou appuyer sur le bouton sélectionné) ;
- **Espace** : cocher ou décocher une case ;
- **Échap** : revenir à l'écran précédent ;
- **F1** : cette aide (flèches et Page suivante pour la faire défiler) ;
- **Ctrl+P** : palette de commandes ; **Ctrl+Q** : quitter le simulateur.
"""

_SIMULATOR = (
    "*Rappel : ce simulateur ne contacte jamais l'ENSAP. N'y saisissez pas vos vrais "
    "identifiants : un numéro de sécurité sociale d'exemple suffit, par exemple "
    "`1 85 05 75 115 123 64` (né en mai 1985).*"
)

HELP_TOPICS: dict[str, tuple[str, str]] = {
    "accueil": (
        "Accueil",
        """
Depuis cette page, on choisit ce que l'on veut faire :

- **Créer mon espace** : première visite. La création se fait en 4 étapes (identité, mot de
  passe, coordonnées, finalisation) ; un courriel (simulé) contenant un lien d'activation est
  ensuite envoyé.
- **Accéder à mon espace** : l'espace est déjà activé ; on s'identifie avec le numéro de sécurité
  sociale (15 caractères) et le mot de passe.
- **Activer mon espace** : on colle le lien reçu par courriel pour finaliser la création. Le lien
  est valable 24 heures et ne sert qu'une fois.
- **Boîte de réception (simulée)** : tous les courriels « envoyés » par le simulateur. C'est là
  qu'on trouve le lien d'activation ou de réinitialisation du mot de passe.
""",
    ),
    "identite": (
        "Étape 1 sur 4 — Mon identité",
        """
Tous les champs marqués d'un astérisque (*) sont obligatoires.

- **N° de sécurité sociale** : 15 caractères (13 chiffres et une clé de 2 chiffres). Il figure
  sur la carte Vitale ou sur la carte CPS. Les espaces sont acceptés. Pour la Corse, le
  département s'écrit 2A ou 2B.
- **Nom de naissance** : le nom porté à la naissance (et non le nom d'usage). Lettres, espaces,
  traits d'union et apostrophes.
- **Date de naissance** : choisissez le jour, le mois et l'année dans les trois listes (Entrée ouvre
  une liste ; on peut taper « 1985 » pour y aller directement). L'année, et le mois quand il est
  connu, doivent correspondre au numéro de sécurité sociale.
- **Conditions générales d'utilisation** : lisez-les (bouton « Lire les conditions générales
  d'utilisation »), puis cochez la case avec Espace.

« Continuer » vérifie la saisie : chaque champ incorrect affiche son message juste en dessous et
le curseur se place sur le premier. « Retour à la page d'accueil » abandonne la création.
""",
    ),
    "mot-de-passe": (
        "Étape 2 sur 4 — Mon mot de passe",
        """
Le mot de passe doit être **« Fort »** :

- au moins 8 caractères ;
- au moins 3 des 4 types : majuscules, minuscules, chiffres, caractères spéciaux ;
- ni mot de passe courant (azerty, motdepasse, soleil…), ni numéro de sécurité sociale, ni date
  de naissance, ni nom de naissance.

Le **niveau de sécurité** (Faible, Moyen, Fort) et la liste des règles (✔ respectée, ✖ non
respectée) se mettent à jour à chaque touche. Cochez « Afficher » pour vérifier ce que vous avez
tapé.

Ressaisissez ensuite le même mot de passe dans **Confirmation mot de passe**. « Valider et
Continuer » n'accepte qu'un mot de passe « Fort » confirmé à l'identique. « Retour à l'étape
précédente » conserve ce qui a été saisi.

Conservez précieusement votre mot de passe : il vous sera demandé à chaque connexion.
""",
    ),
    "coordonnees": (
        "Étape 3 sur 4 — Mes coordonnées",
        """
- **Courriel principal** (obligatoire) : le lien d'activation y est envoyé. Saisissez-le deux fois
  à l'identique. Par défaut, il sert aussi à vous informer des événements de votre espace.
- **Courriel de secours** (facultatif) : il doit être différent du courriel principal, et lui
  aussi confirmé.
- **Téléphones** (facultatifs) : `0615147879` ou `06 15 14 78 79` ; depuis l'étranger, avec
  l'indicatif du pays (`+33615147879` ou `0033615147879`). Pour la **Polynésie française**, il faut
  impérativement utiliser le format `0689` suivi du numéro à 8 chiffres.

« Valider et Continuer » crée l'espace (quelques instants : les boutons sont désactivés pendant
ce temps). Un courriel d'activation est alors envoyé dans la boîte de réception simulée.
""",
    ),
    "finalisation": (
        "Étape 4 sur 4 — Finalisation",
        """
La demande est enregistrée : il reste à **activer l'espace** en suivant le lien du courriel.

1. Ouvrez la **boîte de réception (simulée)**.
2. Sélectionnez le courriel « Finalisez la création de votre espace ENSAP ».
3. Choisissez « Suivre le lien » : l'espace est activé.

Le lien est valable **24 heures** et ne sert qu'une fois. Passé ce délai, la demande est effacée et
il faut recommencer toute la procédure.

Si aucun courriel n'arrive, sur le vrai site : vérifiez le dossier des courriers indésirables ; en
cas d'affluence, le courriel peut mettre jusqu'à 24 heures. Si l'adresse affichée est fausse, il
faut recommencer la procédure une fois les 24 heures écoulées.

Si ce numéro de sécurité sociale avait déjà un espace, le même écran s'affiche (rien n'est
divulgué) et la boîte reçoit un simple avis au lieu d'un lien.
""",
    ),
    "boite": (
        "Boîte de réception (simulée)",
        """
Le simulateur n'envoie aucun vrai courriel : il les range ici, **du plus récent au plus ancien**
(destinataire, objet, heure de réception).

- Flèches haut et bas : choisir un courriel ; son texte s'affiche en dessous.
- **Suivre le lien** : ouvre l'activation (ou la réinitialisation du mot de passe) avec le lien
  déjà rempli.

Le même contenu est visible depuis un autre terminal avec la commande `ensap-tui outbox`.
""",
    ),
    "activation": (
        "Activer mon espace",
        """
Collez dans le champ **Lien d'activation** le lien reçu par courriel
(`ensap-tui://activer/…`) ou seulement le code qui le termine. Les espaces et retours à la ligne
collés par erreur sont ignorés.

Résultats possibles :

- **espace activé** : vous pouvez vous connecter ;
- **lien expiré** : plus de 24 heures se sont écoulées, recommencez la création ;
- **lien déjà utilisé** : l'espace est déjà activé, connectez-vous ;
- **lien inconnu** : lien mal copié, ou remplacé par un lien plus récent.
""",
    ),
    "connexion": (
        "J'accède à mon espace",
        """
- **Identifiant** : votre numéro de sécurité sociale, 15 caractères (espaces acceptés).
- **Mot de passe** : celui choisi à la création.

Après **3 tentatives infructueuses**, l'accès est momentanément bloqué (15 minutes, puis 30, puis
60). Le message indique l'heure de fin du blocage. Le message d'échec est volontairement le même
que l'identifiant soit inconnu ou le mot de passe faux.

Un espace pas encore activé ne s'ouvre pas : suivez d'abord le lien du courriel d'activation.
Mot de passe perdu : « Mot de passe oublié ».
""",
    ),
    "oubli": (
        "Mot de passe oublié",
        """
Saisissez votre numéro de sécurité sociale puis « Envoyer ». La réponse est **toujours la même**,
que le numéro ait un espace ou non : c'est voulu, pour ne rien divulguer.

Si l'espace existe, un courriel de réinitialisation arrive dans la boîte de réception (simulée).
Son lien est valable **30 minutes** et ne sert qu'une fois ; une réinitialisation réussie lève
aussi un blocage de connexion.
""",
    ),
    "reinitialisation": (
        "Réinitialisation du mot de passe",
        """
1. Collez le **lien** reçu par courriel (`ensap-tui://reinitialiser/…`), s'il n'est pas déjà rempli.
2. Choisissez un **nouveau mot de passe** « Fort » (8 caractères au moins, 3 des 4 types de
   caractères, rien de personnel) ; le niveau de sécurité s'affiche en direct.
3. Confirmez-le, puis « Valider ».

Un lien expiré (plus de 30 minutes) ou déjà utilisé ne fonctionne plus : refaites une demande
depuis « Mot de passe oublié ».
""",
    ),
    "espace": (
        "Mon espace",
        """
Vous êtes connecté. La page rappelle votre nom de naissance, votre numéro de sécurité sociale
(masqué) et la date de votre connexion précédente : si elle ne vous dit rien, changez votre mot de
passe.

- **Modifier mon mot de passe** ;
- **Modifier mes coordonnées** (courriels, téléphones) ;
- **Se déconnecter**.

Sans aucune touche pendant 10 minutes (réglable), la déconnexion est automatique.
""",
    ),
    "modifier-mot-de-passe": (
        "Modifier mon mot de passe",
        """
Saisissez votre **mot de passe actuel**, puis le **nouveau** (« Fort » : 8 caractères au moins,
3 des 4 types de caractères, rien de personnel) et sa **confirmation**. Le niveau de sécurité
s'affiche en direct. Un courriel (simulé) vous informe du changement.
""",
    ),
    "modifier-coordonnees": (
        "Modifier mes coordonnées",
        """
Mêmes règles qu'à la création : courriel principal obligatoire et confirmé, courriel de secours
facultatif et différent du principal, téléphones facultatifs (`0615147879`, `+33615147879`,
Polynésie : `0689` + 8 chiffres).
""",
    ),
    "agent": (
        "Espace assistance — identification de l'agent",
        """
Réservé aux agents d'assistance. Saisissez votre **identifiant d'agent** et votre **mot de
passe**, puis « Ouvrir la console ».

Comme pour les usagers, après **3 tentatives infructueuses** l'accès est momentanément bloqué ;
le message indique l'heure de fin du blocage. Les comptes d'agent se créent en ligne de commande
(`ensap-tui agent add NOM`).
""",
    ),
    "console": (
        "Console d'assistance",
        """
Retrouvez l'espace de la personne qui appelle :

- **Recherche** (Ctrl+F) : le numéro de sécurité sociale, écrit comme la personne le dicte, ou
  le début du nom de naissance (sans tenir compte des majuscules ni des accents : « lefevre »
  trouve LEFÈVRE).
- **Résultats** : numéro masqué, nom, état (en attente d'activation, lien expiré, active,
  bloqué jusqu'à…), création, dernière connexion. Flèches haut et bas pour choisir une ligne.

Sur l'espace choisi :

- **Débloquer** : lève un blocage après trop de tentatives ;
- **Renvoyer le lien d'activation** : un nouveau courriel ; l'ancien lien ne fonctionne plus ;
- **Journal** : les événements de cet espace ;
- **Supprimer l'espace** : après confirmation.

Chaque action est inscrite au journal avec votre nom. F5 actualise ; Échap vous déconnecte.
""",
    ),
    "demo": (
        "Page démo",
        """
En mode démonstration seulement. Le tableau liste les **comptes fictifs** dans tous les états
(actif, en attente avec un lien valable, lien expiré, bloqué, bientôt débloqué) avec leur
**mot de passe**, ainsi que l'agent d'assistance de démonstration.

L'**horloge de démonstration** permet de montrer ce qui prend du temps :

- **+1 heure** (F6) et **+24 heures** (F7) avancent l'heure simulée : les liens expirent et les
  blocages prennent fin selon les règles normales ;
- **Heure réelle** (F8) revient à l'heure de l'ordinateur ;
- **Réinitialiser la démo** remet les comptes dans leur état de départ.

F2 rouvre cette page depuis n'importe quel écran.
""",
    ),
}

_UNKNOWN_TOPIC = ("Aide", "Aucune aide particulière pour cet écran.")


def help_text(topic: str) -> tuple[str, str]:
    """The (title, Markdown body) of ``topic``'s page, keys and reminder included."""
    title, body = HELP_TOPICS.get(topic, _UNKNOWN_TOPIC)
    return title, f"{body.strip()}\n{_KEYS}\n{_SIMULATOR}\n"


class HelpScreen(ModalScreen[None]):
    """The help page of one topic, over the current screen. Escape, F1 or «Fermer» close it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1", "close", "Fermer", key_display="Échap"),
    ]

    def __init__(self, topic: str) -> None:
        super().__init__(id="aide")
        self.topic = topic

    def compose(self) -> ComposeResult:
        title, body = help_text(self.topic)
        with Vertical(id="aide-cadre"):
            yield Static(f"Aide — {title}", id="aide-titre", markup=False)
            with VerticalScroll(id="aide-defilement"):
                yield Markdown(body, id="aide-texte")
            with Horizontal(id="aide-actions"):
                yield Button("Fermer", id="fermer-aide", variant="primary")

    def on_mount(self) -> None:
        # The text has the focus, so the arrows and Page keys scroll it at once.
        self.query_one("#aide-defilement").focus()

    def action_close(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#fermer-aide")
    def _close(self) -> None:
        self.dismiss(None)
