# Keygate's end-user pages in German (Deutsch); the messages of en.ftl.

language-name = Deutsch
language-picker = Sprache

## Layout
secured-by = Geschützt durch { $product }
support-link = Hilfe
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
text-passkey-sign-in = Mit einem Passkey anmelden

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
scope-openid = Bestätigen, wer Sie sind
scope-profile = Ihren Namen und Benutzernamen sehen
scope-email = Ihre E-Mail-Adresse sehen
scope-address = Ihre Postanschrift sehen
scope-phone = Ihre Telefonnummer sehen
scope-offline_access = Zugriff behalten, während Sie weg sind, bis Sie ihn entziehen
scope-other = Die Berechtigung „{ $name }“ verwenden

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

## Accounts: sign-up, password reset, address confirmation
check-email = Prüfen Sie Ihre E-Mails
link-expired = Link abgelaufen
password-hint = Mindestens { $min } Zeichen. Ein langer Satz ist am leichtesten zu merken.
signup-title = Konto erstellen
signup-sent = Wir haben eine Nachricht an <strong>{ $email }</strong> gesendet. Öffnen Sie den Link darin, um abzuschließen: Erst dann wird Ihr Konto erstellt.
signup-nothing-arrived = Nach einigen Minuten nichts angekommen? Sehen Sie im Spam-Ordner nach oder registrieren Sie sich erneut.
signup-confirm-title = Konto bestätigen
signup-confirm-lead = Diese Adresse gehört Ihnen: Erstellen Sie das Konto.
signup-confirm-submit = Mein Konto erstellen
signup-created-title = Konto erstellt
signup-created = Ihr Konto <strong>{ $username }</strong> ist bereit. Melden Sie sich bei Ihren Anwendungen mit <strong>{ $email }</strong> und dem gewählten Passwort an.
signup-taken-title = Adresse bereits registriert
signup-taken = Inzwischen wurde ein Konto mit dieser Adresse erstellt. Melden Sie sich damit an oder <a href="{ $forgot }">wählen Sie ein neues Passwort</a>, falls Sie Ihres vergessen haben.
signup-for-domains = Für Adressen bei { $domains }.
signup-one-account = Ein Konto für jede Anwendung, die sich mit { $product } anmeldet.
signup-email = E-Mail-Adresse
signup-invited-at = Die Adresse, unter der Sie eingeladen wurden.
signup-name = Name
signup-optional = (optional)
signup-password = Passwort
signup-password-again = Passwort wiederholen
signup-submit = Konto erstellen
signup-have-account = Sie haben schon ein Konto? <a href="{ $login }">Anmelden</a>
forgot-title = Passwort zurücksetzen
forgot-sent = Wenn ein Konto diese Adresse oder diesen Namen verwendet, ist eine Nachricht mit einem Link zum Wählen eines neuen Passworts unterwegs. Der Link funktioniert einmal und nur für begrenzte Zeit.
forgot-nothing-arrived = Nach einigen Minuten nichts angekommen? Sehen Sie im Spam-Ordner nach oder fragen Sie erneut.
forgot-lead = Geben Sie die E-Mail-Adresse oder den Benutzernamen Ihres Kontos ein. Wir senden einen Link, mit dem Sie ein neues Passwort wählen.
forgot-address = E-Mail-Adresse oder Benutzername
forgot-submit = Link senden
forgot-back = Zurück zur Anmeldung
reset-done-title = Passwort geändert
reset-done = Das Passwort von <strong>{ $username }</strong> ist geändert. Alle angemeldeten Geräte sind abgemeldet; melden Sie sich mit dem neuen Passwort wieder an.
reset-return = Kehren Sie zu der Anwendung zurück, die Sie verwendet haben, und melden Sie sich an.
reset-ask-again = Neuen Link anfordern
reset-title = Neues Passwort wählen
reset-for = für <strong>{ $username }</strong>
reset-password = Neues Passwort
reset-password-again = Neues Passwort wiederholen
reset-submit = Passwort ändern
reset-signs-out = Eine Änderung meldet Sie überall ab.
verify-done-title = Adresse bestätigt
verify-done = <strong>{ $email }</strong> ist bestätigt. Kehren Sie zu Ihrer Anwendung zurück und melden Sie sich an.
verify-gone = Dieser Link ist abgelaufen oder wurde bereits verwendet. Melden Sie sich an, um einen neuen zu erhalten: Links funktionieren einmal und nur für begrenzte Zeit.
verify-resent = Ein neuer Link ist unterwegs an <strong>{ $email }</strong>. Öffnen Sie ihn und melden Sie sich dann an.
verify-title = Adresse bestätigen
verify-lead = Diese Adresse gehört zu Ihrem Konto: Bestätigen Sie sie.
verify-submit = Meine Adresse bestätigen

## Two-step sign-in
mfa-title = Anmeldung in zwei Schritten
mfa-codes-title = Ihre Wiederherstellungscodes
mfa-codes-lead = Die Anmeldung in zwei Schritten ist eingeschaltet. Bewahren Sie diese Codes sicher und getrennt von Ihrem Telefon auf: Jeder funktioniert einmal, wenn Sie Ihre Authenticator-App nicht verwenden können. Sie werden nur jetzt angezeigt.
mfa-codes-saved = Ich habe sie gespeichert, weiter
mfa-used-title = Wiederherstellungscode verwendet
mfa-used = Dieser Code ist verbraucht. Sie haben noch <strong>{ $left }</strong> { $left ->
    [one] Wiederherstellungscode
   *[other] Wiederherstellungscodes
}.
mfa-used-few = Erstellen Sie auf Ihrer Kontoseite neue.
mfa-continue = Weiter
mfa-enrol-title = Authenticator-App hinzufügen
mfa-enrol-lead = Die Anmeldung hier erfordert einen zweiten Schritt. Scannen Sie diesen Code mit einer Authenticator-App (etwa Google Authenticator, Microsoft Authenticator, 1Password oder Aegis) und geben Sie dann den 6-stelligen Code ein, den sie anzeigt.
mfa-qr = QR-Code des Schlüssels
mfa-key = Oder geben Sie diesen Schlüssel ein: <code>{ $key }</code>
mfa-app-code = Code aus der App
mfa-turn-on = Anmeldung in zwei Schritten einschalten
mfa-lead-both = Verwenden Sie einen Ihrer Passkeys oder geben Sie den 6-stelligen Code aus Ihrer Authenticator-App oder einen Ihrer Wiederherstellungscodes ein.
mfa-lead-code = Geben Sie den 6-stelligen Code aus Ihrer Authenticator-App oder einen Ihrer Wiederherstellungscodes ein.
mfa-lead-passkey = Bestätigen Sie mit einem Ihrer Passkeys, dass Sie es sind.
mfa-code = Code

## Account page
account-title = Ihr Konto
account-profile = Profil
account-email-line = E-Mail-Adresse: <strong>{ $email }</strong>
account-confirmed = (bestätigt)
account-not-confirmed = (noch nicht bestätigt)
account-name = Name
account-given-name = Vorname
account-family-name = Nachname
account-save-profile = Profil speichern
account-email-title = E-Mail-Adresse
account-new-address = Neue Adresse
account-new-address-hint = Wir senden einen Link dorthin; Ihre Adresse ändert sich, wenn Sie ihn öffnen, und die alte wird benachrichtigt.
account-current-password = Aktuelles Passwort
account-change-address = Adresse ändern
account-password-title = Passwort
account-new-password = Neues Passwort
account-new-password-hint = Mindestens { $min } Zeichen. Eine Änderung meldet Ihre anderen Geräte ab.
account-new-password-again = Neues Passwort wiederholen
account-change-password = Passwort ändern
account-mfa-on = Nach Ihrem Passwort wird eine Authenticator-App nach einem Code gefragt (hinzugefügt { $added } UTC). Verbleibende Wiederherstellungscodes: <strong>{ $left }</strong>.
account-mfa-on-used = Nach Ihrem Passwort wird eine Authenticator-App nach einem Code gefragt (hinzugefügt { $added } UTC, zuletzt verwendet { $used } UTC). Verbleibende Wiederherstellungscodes: <strong>{ $left }</strong>.
account-new-codes = Neue Wiederherstellungscodes erstellen
account-app-code = Ein Code aus der App
account-mfa-off = Anmeldung in zwei Schritten ausschalten
account-mfa-offer = Fügen Sie eine Authenticator-App hinzu: Bei der Anmeldung wird dann auch nach dem Code gefragt, den sie anzeigt.
account-passkeys = Passkeys
account-passkeys-about = Ein Passkey meldet Sie statt mit einem Passwort mit Fingerabdruck, Gesicht, Bildschirmsperre oder Sicherheitsschlüssel an und funktioniert nur auf dieser Website, kann also nicht abgefischt werden.
account-passkey-synced = auf Ihren Geräten synchronisiert
account-passkey-one-device = auf einem Gerät
account-passkey-added = hinzugefügt { $added } UTC
account-passkey-used = zuletzt verwendet { $used } UTC
account-passkey-unused = noch nicht verwendet
account-passkey-new-name = Neuer Name für { $name }
account-rename = Umbenennen
account-passkey-remove = Passkey { $name } entfernen
account-remove = Entfernen
account-no-passkey = Sie haben noch keinen Passkey.
account-passkey-script = Zum Hinzufügen eines Passkeys wird JavaScript benötigt.
account-devices = Geräte
account-signed-in-since = Angemeldet seit { $since } UTC
account-this-device = (dieses Gerät)
account-no-other-devices = Keine anderen Anmeldungen.
account-sign-out-elsewhere = Überall sonst abmelden
account-applications = Anwendungen
account-app-may = <strong>{ $app }</strong> darf:
account-remove-access = Zugriff entziehen
account-no-applications = Keine Anwendung hat Zugriff auf Ihr Konto.
account-linked = Verknüpfte Anmeldungen
account-unlink = Verknüpfung lösen
account-nothing-linked = Mit diesem Konto ist kein anderes Konto verknüpft.
account-link = { $provider }-Konto verknüpfen
account-delete-title = Konto löschen
account-delete-hint = Dies kann nicht rückgängig gemacht werden: Alle Anwendungen verlieren den Zugriff, und Ihr Konto ist weg.
account-delete = Mein Konto löschen
account-sign-out = Abmelden
account-codes-lead = Bewahren Sie diese sicher und getrennt von Ihrem Telefon auf. Jeder funktioniert einmal, wenn Sie Ihre Authenticator-App nicht verwenden können. Sie werden nur jetzt angezeigt.
account-codes-saved = Ich habe sie gespeichert
account-totp-lead = Scannen Sie diesen Code mit einer Authenticator-App (etwa Google Authenticator, Microsoft Authenticator, 1Password oder Aegis) und geben Sie dann den 6-stelligen Code ein, den sie anzeigt.
account-cancel = Abbrechen

## Texts made in code, found by their English words (ui::i18n::Catalogs::translate)
text-cannot-complete = Diese Anfrage kann nicht abgeschlossen werden
text-not-registered = Die Anwendung, die Sie hierher geschickt hat, ist nicht registriert.
text-unregistered-return = Die Anwendung wollte zu einer Adresse zurückkehren, die sie nicht registriert hat.
text-form-incomplete = Das Formular ist unvollständig. Kehren Sie zur Anwendung zurück und versuchen Sie es erneut.
text-form-unverified = Das Formular konnte nicht geprüft werden. Gehen Sie zurück und versuchen Sie es erneut.
text-cannot-continue = Diese Anfrage kann nicht fortgesetzt werden.
text-went-wrong = Etwas ist schiefgegangen
text-try-again = Bitte versuchen Sie es erneut.
text-could-not-complete = Keygate konnte die Anfrage nicht abschließen. Bitte versuchen Sie es erneut.
text-form-expired = Dieses Formular ist abgelaufen
text-reload = Laden Sie die Seite neu und versuchen Sie es erneut.
text-not-found = Seite nicht gefunden
text-nothing-here = Unter dieser Adresse gibt es nichts. Wenn eine Anwendung Sie hierher geschickt hat, kehren Sie zu ihr zurück und versuchen Sie es erneut.
text-cannot-sign-in = Sie können sich nicht anmelden
text-still-signed-in = Sie sind weiterhin angemeldet
text-nothing-changed = Es wurde nichts geändert.
text-signed-out = Sie sind abgemeldet
text-close-window = Sie können dieses Fenster schließen.
text-use-passkey = Passkey verwenden
text-add-passkey = Passkey hinzufügen
text-device-wrong-code = Dieser Code ist ungültig oder abgelaufen. Prüfen Sie den Code auf Ihrem Gerät.
text-device-throttled = Zu viele falsche Codes. Bitte warten Sie einige Minuten und versuchen Sie es erneut.

## E-Mails.
mail-hello = Hallo { $name },
mail-hello-anyone = Hallo,
mail-change-email-subject = Bestätigen Sie Ihre neue Adresse für { $product }
mail-change-email-body = Um diese Adresse ({ $new_email }) für Ihr { $product }-Konto { $username } zu verwenden, öffnen Sie diesen Link innerhalb { $hours ->
    [one] einer Stunde
   *[other] von { $hours } Stunden
  }:
mail-change-email-button = Diese Adresse verwenden
mail-change-email-after = Bis dahin behält Ihr Konto seine bisherige Adresse. Wenn Sie das nicht angefordert haben, ignorieren Sie diese Nachricht.
mail-email-changed-subject = Die Adresse Ihres { $product }-Kontos wurde geändert
mail-email-changed-body = Ihr { $product }-Konto { $username } verwendet jetzt die Adresse { $new_email } statt dieser.
mail-email-changed-warning = Wenn Sie das nicht waren, setzen Sie sofort Ihr Passwort zurück und informieren Sie Ihre Administration:
mail-reset-now-button = Passwort zurücksetzen
mail-invite-subject = Sie sind zu { $product } eingeladen
mail-invite-body = Sie sind eingeladen, ein { $product }-Konto für { $username } anzulegen. Öffnen Sie diesen Link innerhalb { $days ->
    [one] eines Tages
   *[other] von { $days } Tagen
  }, um Ihr Passwort zu wählen:
mail-invite-button = Mein Konto anlegen
mail-invite-after = Wenn Sie das nicht erwartet haben, ignorieren Sie diese Nachricht.
mail-password-changed-subject = Ihr { $product }-Passwort wurde geändert
mail-password-changed-body = Das Passwort Ihres { $product }-Kontos wurde geändert, und jedes damit angemeldete Gerät wurde abgemeldet.
mail-password-changed-warning = Wenn Sie das nicht waren, setzen Sie sofort Ihr Passwort zurück:
mail-reset-subject = Setzen Sie Ihr { $product }-Passwort zurück
mail-reset-body = Jemand hat angefordert, das Passwort Ihres { $product }-Kontos zurückzusetzen. Um ein neues Passwort zu wählen, öffnen Sie diesen Link innerhalb { $minutes ->
    [one] einer Minute
   *[other] von { $minutes } Minuten
  }:
mail-reset-button = Neues Passwort wählen
mail-reset-after = Wenn Sie das nicht waren, ignorieren Sie diese Nachricht: Ihr Passwort bleibt, wie es ist.
mail-signup-subject = Bestätigen Sie Ihre E-Mail-Adresse für { $product }
mail-signup-body = Um Ihr { $product }-Konto fertig anzulegen, bestätigen Sie, dass diese Adresse Ihnen gehört, indem Sie diesen Link innerhalb { $hours ->
    [one] einer Stunde
   *[other] von { $hours } Stunden
  } öffnen:
mail-confirm-button = Meine Adresse bestätigen
mail-signup-after = Wenn Sie sich nicht registriert haben, ignorieren Sie diese Nachricht: Ohne sie wird kein Konto angelegt.
mail-signup-exists-subject = Jemand wollte sich mit Ihrer Adresse bei { $product } registrieren
mail-signup-exists-body = Jemand wollte mit dieser E-Mail-Adresse, die schon ein Konto hat, ein { $product }-Konto anlegen. Nichts wurde geändert.
mail-signup-exists-forgot = Wenn Sie das waren, melden Sie sich wie gewohnt an, oder wählen Sie ein neues Passwort, falls Sie es vergessen haben:
mail-choose-password-button = Neues Passwort wählen
mail-signup-exists-after = Wenn Sie das nicht waren, können Sie diese Nachricht ignorieren.
mail-test-subject = Testnachricht von { $product }
mail-test-body = Dies ist eine Testnachricht von { $product } unter { $issuer }.
mail-test-after = Wenn Sie sie lesen können, kann { $product } E-Mails senden: Passwort-Zurücksetzungen, Adressbestätigungen und Einladungen kommen an.
mail-verify-subject = Bestätigen Sie Ihre E-Mail-Adresse für { $product }
mail-verify-body = Bestätigen Sie, dass diese Adresse zu Ihrem { $product }-Konto ({ $username }) gehört, indem Sie diesen Link innerhalb { $hours ->
    [one] einer Stunde
   *[other] von { $hours } Stunden
  } öffnen:
mail-verify-after = Wenn Sie kein Konto haben, ignorieren Sie diese Nachricht.

## Texts made in code: account notices and form problems (looked up by the English words).
text-notice-profile = Ihr Profil ist gespeichert.
text-notice-password = Ihr Passwort ist geändert. Ihre anderen Geräte sind abgemeldet.
text-notice-sessions = Ihre anderen Geräte sind abgemeldet.
text-notice-application = Die Anwendung hat keinen Zugriff mehr auf Ihr Konto.
text-notice-email = Sehen Sie in Ihrem neuen Postfach nach: Die Änderung gilt, sobald Sie den Link öffnen, den wir dorthin geschickt haben.
text-notice-unlinked = Diese Anmeldung ist nicht mehr mit Ihrem Konto verknüpft.
text-notice-linked = Sie können sich jetzt auch mit diesem Konto anmelden.
text-notice-mfa-on = Die Anmeldung in zwei Schritten ist eingeschaltet.
text-notice-mfa-off = Die Anmeldung in zwei Schritten ist ausgeschaltet.
text-notice-passkey = Ihr Passkey ist hinzugefügt: Sie können sich damit anmelden.
text-notice-passkey-renamed = Der Passkey ist umbenannt.
text-notice-passkey-removed = Der Passkey ist entfernt.
text-field-password = Passwort
text-field-email = E-Mail
text-field-name = Name
text-passwords-differ = die beiden Passwörter sind nicht gleich
text-passwords-differ-sentence = Die beiden Passwörter sind nicht gleich.
text-password-too-common = das Passwort ist zu verbreitet: Es steht auf einer Liste von Passwörtern, die Angreifer zuerst ausprobieren
text-password-pattern = das Passwort ist ein einfaches Muster (ein wiederholtes Zeichen, eine Folge wie abcdef oder 987654 oder eine Tastaturreihe)
text-password-has-name = das Passwort darf den Benutzernamen oder den Namen der E-Mail-Adresse nicht enthalten
text-password-too-long = das Passwort darf höchstens { $max } Zeichen haben
text-password-too-short = das Passwort muss mindestens { $min } Zeichen haben (es hat { $length }); ein paar unzusammenhängende Wörter ergeben ein gutes
text-reset-link-gone = Dieser Link ist abgelaufen oder wurde schon benutzt. Fordern Sie einen neuen an: Links funktionieren einmal und nur für begrenzte Zeit.
text-signup-link-gone = Dieser Link ist abgelaufen oder wurde schon benutzt. Registrieren Sie sich erneut, um einen neuen zu erhalten: Links funktionieren einmal und nur für begrenzte Zeit.
text-link-again = Öffnen Sie Ihre Kontoseite, melden Sie sich an und verknüpfen Sie das Konto erneut.
text-link-other-sign-in = Diese Verknüpfung wurde von einer anderen Anmeldung begonnen
text-sign-in-failed = Anmeldung fehlgeschlagen
text-try-again-now = Versuchen Sie es erneut.
text-no-linked-account = Mit dieser Anmeldung ist noch kein Konto verknüpft. Bitten Sie Ihre Administration, es zu verknüpfen.
text-invalid-redirect = Ungültige Weiterleitung
text-invalid-redirect-uri = Die Weiterleitungs-URI ist ungültig.
text-no-passwords = Hier werden keine Passwörter verwendet
text-no-passwords-reset = Dieser Dienst meldet Sie ohne Passwort an, daher gibt es keines zurückzusetzen.
