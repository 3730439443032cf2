# Keygate's end-user pages in German (Deutsch); the messages of en.ftl.

language-name = Deutsch
language-picker = Sprache

## Layout
secured-by = Geschützt durch { $product }
your-account = Ihr Konto
signed-in-as = Angemeldet als <strong>{ $user }</strong>
legal-policy = Datenschutzerklärung
legal-terms = Nutzungsbedingungen
legal-both = { $policy } und { $terms } von { $app }
legal-one = { $link } von { $app }
unverified-app = Nicht geprüfte Anwendung.

## Login
login-title = Bei { $app } anmelden
login-heading = Anmelden
login-lead = um mit <strong>{ $app }</strong> fortzufahren
login-link-email-taken = Es gibt bereits ein Konto mit der E-Mail-Adresse Ihres { $provider }-Kontos.
login-link-none = Mit Ihrem { $provider }-Konto ist noch kein Konto verknüpft.
login-link-once = Melden Sie sich einmal mit Ihrem Passwort an, um Ihr { $provider }-Konto <strong>{ $account }</strong> damit zu verknüpfen; danach genügt { $provider }.
login-unverified = Bestätigen Sie zuerst Ihre E-Mail-Adresse: Öffnen Sie den Link, den wir an <strong>{ $email }</strong> gesendet haben, und melden Sie sich dann an.
login-send-again = Link erneut senden
login-username = Benutzername oder E-Mail-Adresse
login-password = Passwort
login-submit = Anmelden
login-forgot = Passwort vergessen?
login-create = Konto erstellen
login-or = oder
login-with = Mit { $provider } anmelden
login-no-way = Es ist keine Anmeldemethode eingerichtet. Wenden Sie sich an Ihre Administration.
login-invalid = Benutzername oder Passwort ist falsch.
login-throttled = Zu viele Fehlversuche. Bitte warten Sie einige Minuten und versuchen Sie es erneut.
login-disabled = Dieses Konto ist deaktiviert. Bitten Sie Ihre Administration, es zu aktivieren.
passkey-name = Name des neuen Passkeys (optional)
passkey-name-example = Zum Beispiel: Arbeitslaptop
passkey-sign-in = Mit einem Passkey anmelden

## Consent
consent-title = { $app } möchte Zugriff
consent-described = Sie beschreibt sich selbst von <strong>{ $host }</strong> aus; niemand bei diesem Dienst hat das geprüft.
consent-anyone = Jeder hätte sie unter diesem Namen registrieren können; niemand bei diesem Dienst hat sie geprüft.
consent-sends-to = Sie wird Sie zu <strong>{ $host }</strong> weiterleiten.
consent-this-computer = Sie läuft auf diesem Computer: Erlauben Sie nur, wenn Sie sie gerade selbst gestartet haben.
consent-trust = Erlauben Sie nur, wenn Sie ihr vertrauen.
consent-device = Ein Gerät bittet mit dem Code <strong>{ $code }</strong> um Zugriff. Erlauben Sie nur, wenn Sie dies auf Ihrem eigenen Gerät gestartet haben und es diesen Code anzeigt.
consent-allows = Damit darf { $app }:
consent-detail = { $actions } in { $what } { $locations } ({ $api })
consent-and = und
consent-signed-in-only = { $app } möchte wissen, dass Sie angemeldet sind.
consent-deny = Ablehnen
consent-allow = Erlauben

## Sign out
logout-title = Abmelden
logout-heading = Abmelden?
logout-app-asks = { $app } bittet darum, Sie von { $product } abzumelden.
logout-about-to = Sie sind dabei, sich von { $product } abzumelden.
logout-signed-in-as = Sie sind angemeldet als <strong>{ $user }</strong>
logout-stay = Angemeldet bleiben
logout-submit = Abmelden
back-to = Zurück zu { $app }

## Errors and leaving
back-to-application = Zurück zur Anwendung
support-reference = Wenn Sie sich an den Support wenden, nennen Sie diese Referenz: <code>{ $reference }</code>
developer-details = Details für die Entwickler der Anwendung
leaving-title = Weiter zu { $host }
leaving-warning = Sie möchte Sie zu <strong>{ $host }</strong> weiterleiten. Jeder hätte sie registrieren können; niemand bei diesem Dienst hat sie geprüft. Fahren Sie nur fort, wenn Sie dorthin wollten.
continue-to = Weiter zu { $host }

## Devices
device-title = Gerät verbinden
device-lead = Geben Sie den Code ein, den Ihr Gerät anzeigt.
device-code = Code
device-continue = Weiter
device-legal = Geben Sie nur einen Code ein, den Sie auf einem Gerät sehen, das Sie selbst einrichten.

## Home
home-title = Anmeldedienst
home-text = Anwendungen schicken Sie zur Anmeldung hierher. Auf dieser Seite selbst gibt es nichts zu tun: Kehren Sie zu der Anwendung zurück, die Sie verwendet haben.
home-console = Für Administratoren: die Konsole
