"""Every word of the survey pages in Dutch and English (Dutch first).

The questions and scale items themselves live in :mod:`graphsvc.survey.questions`.
"""

from __future__ import annotations

__all__ = ["SURVEY_TEXT"]

SURVEY_TEXT: dict[str, dict[str, str]] = {
    "nl": {
        "other": "English",
        "other_lang": "en",
        "other_label": "Switch to English",
        "skip": "Naar de vragen",
        "consent_title": "Voordat u begint",
        "consent_what": "Wat vragen we?",
        "consent_what_text": "Met wie u de afgelopen zes maanden te maken had in deze proeftuin, "
        "en per persoon of organisatie een paar korte vragen: hoe vaak, of u op elkaar kunt "
        "rekenen en of u zich een gelijkwaardige partner voelt. Het duurt ongeveer tien minuten.",
        "consent_who": "Wie ziet wat?",
        "consent_who_text": "De begeleiders van de proeftuin zien met wie u samenwerkt, zoals "
        "dat ook op de netwerkkaart staat. Uw antwoorden over vertrouwen en gelijkwaardigheid "
        "ziet niemand apart: we tonen alleen gemiddelden van groepen van minstens drie "
        "antwoorden. Andere deelnemers zien uw antwoorden nooit.",
        "consent_keep": "Hoe lang bewaren we het?",
        "consent_keep_text": "Zolang de proeftuin loopt, en hoogstens twee jaar na deze ronde. "
        "Daarna worden uw antwoorden verwijderd.",
        "consent_withdraw": "Stoppen of intrekken",
        "consent_withdraw_text": "Meedoen is vrijwillig. U kunt altijd stoppen. Met deze "
        "zelfde link kunt u uw toestemming intrekken: dan verwijderen we uw antwoorden en de "
        "relaties die alleen op uw antwoorden berusten. Dit is uw recht onder de AVG.",
        "consent_agree": "Ik doe mee en geef toestemming om mijn antwoorden zo te gebruiken.",
        "consent_findable": "Andere deelnemers mogen mij vinden in de lijst met namen "
        "(alleen voor bewoners; anders staat u er niet in).",
        "consent_button": "Begin",
        "consent_needed": "Vink aan dat u meedoet om te beginnen.",
        "register_title": "Aanmelden voor deze vragenlijst",
        "register_intro": "U doet mee via de link van de bijeenkomst. Vul uw naam in; een "
        "begeleider voegt u daarna toe aan het netwerk.",
        "register_name": "Uw naam",
        "register_kind": "U bent",
        "register_button": "Aanmelden en beginnen",
        "overview_title": "De vragen",
        "overview_intro": "U kunt altijd stoppen en later met dezelfde link verdergaan. "
        "Tot {closes} kunt u uw antwoorden nog veranderen.",
        "answered": "beantwoord",
        "not_answered": "nog niet beantwoord",
        "named_count": "{n} genoemd",
        "question_of": "Vraag {n} van {total}",
        "period": "Denk aan de afgelopen zes maanden.",
        "search_label": "Zoek een naam",
        "search_hint": "Typ een deel van de naam; hoofdletters en accenten maken niet uit.",
        "search_button": "Zoek",
        "search_status": "{n} namen in de lijst",
        "list_legend": "Kies uit de lijst",
        "nobody_found": "Geen namen gevonden. Staat iemand er niet in? Voeg hem of haar "
        "hieronder toe.",
        "new_legend": "Iemand die niet in de lijst staat",
        "new_name": "Naam",
        "new_kind": "Soort",
        "about": "Over {name}",
        "save": "Opslaan",
        "save_next": "Opslaan en verder",
        "saved": "Uw antwoorden zijn bewaard.",
        "back": "Terug naar het overzicht",
        "done_title": "Dank u wel!",
        "done_text": "Uw antwoorden zijn bewaard. U kunt ze tot {closes} nog veranderen met "
        "dezelfde link.",
        "withdraw_link": "Toestemming intrekken en mijn antwoorden verwijderen",
        "withdraw_title": "Toestemming intrekken",
        "withdraw_text": "Als u uw toestemming intrekt, verwijderen we al uw antwoorden van deze "
        "ronde en de relaties die alleen op uw antwoorden berusten. Dit kan niet ongedaan "
        "worden gemaakt.",
        "withdraw_button": "Ja, verwijder mijn antwoorden",
        "withdrawn_title": "Uw antwoorden zijn verwijderd",
        "withdrawn_text": "U heeft uw toestemming ingetrokken. Wilt u toch meedoen, open dan "
        "de link opnieuw.",
        "error_title": "Er is iets niet goed",
        "gone_title": "Deze link werkt niet",
        "gone_text": "Deze link is onbekend, ingetrokken of verlopen. Vraag de begeleider van "
        "de proeftuin om een nieuwe link.",
        "forbidden_title": "Dit formulier is verlopen",
        "forbidden_text": "Open de link opnieuw en probeer het nog eens.",
        "busy_title": "Even geduld",
        "busy_text": "Te veel pogingen vanaf dit adres. Probeer het over een minuut opnieuw.",
        "unavailable_text": "De dienst is even niet bereikbaar. Probeer het zo opnieuw.",
        "dont_know": "Weet niet",
        # staff pages
        "rounds_title": "Enquêtes van {name}",
        "no_rounds": "Er zijn nog geen enquêterondes. Een redacteur maakt ze op deze pagina "
        "of via de API (zie de handleiding).",
        "round_status_open": "open",
        "round_status_closed": "gesloten",
        "opens": "Open van",
        "closes": "tot en met",
        "results_link": "Uitkomsten",
        "invitations": "Uitnodigingen",
        "status": "Stand",
        "name": "Naam",
        "kind": "Soort",
        "print_sheet": "Nieuwe links voor wie nog niet begon, en afdrukken (A4)",
        "open_link": "Open link voor een bijeenkomst maken",
        "close_round": "Ronde sluiten en antwoorden tot relaties maken",
        "apply_round": "Antwoorden nu tot relaties maken",
        "sheet_title": "Persoonlijke links: {title}",
        "sheet_intro": "Knip per persoon uit. Scan de code met de camera van uw telefoon.",
        "sheet_in_use": "al begonnen: link niet veranderd",
        "open_title": "Open link: {title}",
        "open_text": "Scan deze code om u aan te melden en mee te doen.",
        "results_title": "Uitkomsten: {title}",
        "response": "Respons per groep",
        "invited": "Uitgenodigd",
        "answered_n": "Beantwoord",
        "rate": "Respons",
        "reciprocity": "Wederkerigheid van noemen",
        "reciprocity_text": "Van de {pairs} paren waarin één de ander noemde en beiden "
        "antwoordden, noemden in {mutual} paren beiden elkaar ({rate}). Een maat voor de "
        "kwaliteit van de gegevens, geen oordeel over de relaties.",
        "pairs": "Per paar van groepen",
        "pairs_text": "Gemiddelden op een schaal van 1 tot 5 (hoe vaak: 1 tot 4), met het "
        "aantal antwoorden. Bij minder dan {n} antwoorden of respondenten tonen we niets.",
        "from_kind": "Wie antwoordde",
        "to_kind": "Over",
        "frequency": "Hoe vaak",
        "trust": "Vertrouwen",
        "equality": "Gelijkwaardigheid",
        "suppressed": "te weinig antwoorden",
        "non_respondents": "Nog niet beantwoord",
        "pending": "Voorgestelde personen die op een besluit wachten: {n}",
        # the editor's forms
        "new_round": "Nieuwe ronde",
        "new_round_intro": "Een ronde vraagt een paar mensen op hun telefoon met wie ze de "
        "afgelopen zes maanden te maken hadden. Kies twee of drie vragen; per vraag kunt u "
        "korte schalen toevoegen.",
        "f_key": "Sleutel",
        "f_key_hint": "Kort en vast, zonder spaties, bijvoorbeeld zandwijk-2026.",
        "f_title": "Titel",
        "f_intro": "Inleiding (optioneel)",
        "f_opens": "Open vanaf",
        "f_closes": "Open tot en met",
        "f_closes_hint": "Na deze dag sluit de ronde vanzelf en worden de antwoorden relaties.",
        "f_questions": "Vragen",
        "f_scales": "Schalen bij elke genoemde persoon:",
        "create": "Ronde maken",
        "form_errors": "De ronde is niet gemaakt. Verbeter wat bij de velden staat.",
        "copy_round": "Ronde herhalen",
        "copy_intro": "Een nieuwe ronde met dezelfde vragen, bijvoorbeeld een jaar later. "
        "Nodig daarna opnieuw uit.",
        "f_copy_title": "Titel (leeg: dezelfde)",
        "copy": "Kopie maken",
        "copy_errors": "De kopie is niet gemaakt. Verbeter wat bij de velden staat.",
        "invite": "Uitnodigen",
        "invite_intro": "Wie uitgenodigd is, krijgt een persoonlijke link: druk daarna de "
        "links af met de knop hierboven.",
        "invite_all": "Alle actoren behalve bewoners, en de vindbare bewoners ({n})",
        "invite_all_hint": "Vindbaar: bewoners die in een eerdere ronde toestemming gaven om "
        "gevonden te worden.",
        "invite_chosen": "Alleen wie ik hieronder aanvink",
        "invite_choose": "Actoren van de proeftuin die nog niet zijn uitgenodigd",
        "invite_button": "Uitnodigen",
        "invite_none": "Kies minstens één actor, of kies alle actoren.",
        "invite_everyone_invited": "Iedereen van de proeftuin is uitgenodigd.",
        "invited_n": "{n} uitgenodigd. Druk hun links af met de knop hierboven.",
        "revoke": "Intrekken",
        "revoke_label": "Uitnodiging van {name} intrekken",
        "action": "Actie",
    },
    "en": {
        "other": "Nederlands",
        "other_lang": "nl",
        "other_label": "Wissel naar Nederlands",
        "skip": "Skip to the questions",
        "consent_title": "Before you start",
        "consent_what": "What do we ask?",
        "consent_what_text": "Whom you dealt with in this proeftuin in the last six months, "
        "and for each person or organisation a few short questions: how often, whether you "
        "can count on each other, and whether you feel an equal partner. It takes about ten "
        "minutes.",
        "consent_who": "Who sees what?",
        "consent_who_text": "The proeftuin's facilitators see whom you work with, as the "
        "network map shows. Nobody sees your answers on trust and equality on their own: we "
        "only show averages of groups of at least three answers. Other participants never "
        "see your answers.",
        "consent_keep": "How long do we keep it?",
        "consent_keep_text": "As long as the proeftuin runs, and at most two years after this "
        "round. Then your answers are deleted.",
        "consent_withdraw": "Stopping or withdrawing",
        "consent_withdraw_text": "Taking part is voluntary. You can stop at any time. With "
        "this same link you can withdraw your consent: we then delete your answers and the "
        "relations that rest on your answers alone. This is your right under the GDPR.",
        "consent_agree": "I take part and consent to my answers being used this way.",
        "consent_findable": "Other participants may find me in the list of names (residents "
        "only; otherwise you are not on it).",
        "consent_button": "Start",
        "consent_needed": "Tick that you take part to start.",
        "register_title": "Sign up for this survey",
        "register_intro": "You take part through the meeting's link. Enter your name; a "
        "facilitator then adds you to the network.",
        "register_name": "Your name",
        "register_kind": "You are",
        "register_button": "Sign up and start",
        "overview_title": "The questions",
        "overview_intro": "You can stop at any time and continue later with the same link. "
        "Until {closes} you can still change your answers.",
        "answered": "answered",
        "not_answered": "not answered yet",
        "named_count": "{n} named",
        "question_of": "Question {n} of {total}",
        "period": "Think of the last six months.",
        "search_label": "Search for a name",
        "search_hint": "Type part of the name; capitals and accents do not matter.",
        "search_button": "Search",
        "search_status": "{n} names in the list",
        "list_legend": "Choose from the list",
        "nobody_found": "No names found. Someone missing? Add them below.",
        "new_legend": "Someone not on the list",
        "new_name": "Name",
        "new_kind": "Kind",
        "about": "About {name}",
        "save": "Save",
        "save_next": "Save and continue",
        "saved": "Your answers have been saved.",
        "back": "Back to the overview",
        "done_title": "Thank you!",
        "done_text": "Your answers have been saved. Until {closes} you can still change them "
        "with the same link.",
        "withdraw_link": "Withdraw consent and delete my answers",
        "withdraw_title": "Withdraw consent",
        "withdraw_text": "If you withdraw your consent, we delete all your answers of this "
        "round and the relations that rest on your answers alone. This cannot be undone.",
        "withdraw_button": "Yes, delete my answers",
        "withdrawn_title": "Your answers have been deleted",
        "withdrawn_text": "You have withdrawn your consent. If you want to take part after "
        "all, open the link again.",
        "error_title": "Something is not right",
        "gone_title": "This link does not work",
        "gone_text": "This link is unknown, revoked or expired. Ask the proeftuin's "
        "facilitator for a new link.",
        "forbidden_title": "This form has expired",
        "forbidden_text": "Open the link again and try once more.",
        "busy_title": "Please wait",
        "busy_text": "Too many attempts from this address. Try again in a minute.",
        "unavailable_text": "The service is unavailable for a moment. Please try again shortly.",
        "dont_know": "Don't know",
        "rounds_title": "Surveys of {name}",
        "no_rounds": "There are no survey rounds yet. An editor creates them on this page or "
        "through the API (see the guide).",
        "round_status_open": "open",
        "round_status_closed": "closed",
        "opens": "Open from",
        "closes": "to",
        "results_link": "Results",
        "invitations": "Invitations",
        "status": "Status",
        "name": "Name",
        "kind": "Kind",
        "print_sheet": "New links for those who have not started, and print (A4)",
        "open_link": "Make an open link for a meeting",
        "close_round": "Close the round and make the answers ties",
        "apply_round": "Make the answers ties now",
        "sheet_title": "Personal links: {title}",
        "sheet_intro": "Cut out one per person. Scan the code with your phone's camera.",
        "sheet_in_use": "already started: link unchanged",
        "open_title": "Open link: {title}",
        "open_text": "Scan this code to sign up and take part.",
        "results_title": "Results: {title}",
        "response": "Response per group",
        "invited": "Invited",
        "answered_n": "Answered",
        "rate": "Response",
        "reciprocity": "Reciprocity of naming",
        "reciprocity_text": "Of the {pairs} pairs where one named the other and both "
        "answered, in {mutual} pairs both named each other ({rate}). A figure of data "
        "quality, not a judgement of the relations.",
        "pairs": "Per pair of groups",
        "pairs_text": "Means on a scale of 1 to 5 (how often: 1 to 4), with the number of "
        "answers. Under {n} answers or respondents nothing is shown.",
        "from_kind": "Who answered",
        "to_kind": "About",
        "frequency": "How often",
        "trust": "Trust",
        "equality": "Equality",
        "suppressed": "too few answers",
        "non_respondents": "Not answered yet",
        "pending": "Proposed people waiting for a decision: {n}",
        # the editor's forms
        "new_round": "New round",
        "new_round_intro": "A round asks people on their phones whom they dealt with in the "
        "last six months. Choose two or three questions; per question you may add short "
        "scales.",
        "f_key": "Key",
        "f_key_hint": "Short and fixed, without spaces, for example zandwijk-2026.",
        "f_title": "Title",
        "f_intro": "Introduction (optional)",
        "f_opens": "Open from",
        "f_closes": "Open until (inclusive)",
        "f_closes_hint": "After this day the round closes by itself and the answers become ties.",
        "f_questions": "Questions",
        "f_scales": "Scales for each person named:",
        "create": "Create round",
        "form_errors": "The round was not created. Correct what is shown at the fields.",
        "copy_round": "Repeat this round",
        "copy_intro": "A new round with the same questions, for example a year later. Invite "
        "again afterwards.",
        "f_copy_title": "Title (empty: the same)",
        "copy": "Make a copy",
        "copy_errors": "The copy was not made. Correct what is shown at the fields.",
        "invite": "Invite",
        "invite_intro": "Whoever is invited gets a personal link: print the links afterwards "
        "with the button above.",
        "invite_all": "All actors except residents, and the findable residents ({n})",
        "invite_all_hint": "Findable: residents who agreed in an earlier round to be found.",
        "invite_chosen": "Only the ones I tick below",
        "invite_choose": "Actors of the proeftuin not invited yet",
        "invite_button": "Invite",
        "invite_none": "Choose at least one actor, or choose all actors.",
        "invite_everyone_invited": "Everyone in the proeftuin has been invited.",
        "invited_n": "{n} invited. Print their links with the button above.",
        "revoke": "Revoke",
        "revoke_label": "Revoke the invitation of {name}",
        "action": "Action",
    },
}
