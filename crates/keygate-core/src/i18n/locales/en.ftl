# Keygate's end-user pages in English, the reference catalog: every other catalog has exactly
# these messages (a test checks). Variables are HTML-escaped before they are put in; the
# markup here (<strong>, <code>) is kept. $product is the product's name ("Keygate").

language-name = English
language-picker = Language

## Layout
secured-by = Secured by { $product }
support-link = Get help
your-account = Your account
signed-in-as = Signed in as <strong>{ $user }</strong>
legal-policy = privacy policy
legal-terms = terms of service
legal-both = { $app }'s { $policy } and { $terms }
legal-one = { $app }'s { $link }
unverified-app = Unverified application.

## Login
login-title = Sign in to { $app }
login-heading = Sign in
login-lead = to continue to <strong>{ $app }</strong>
login-link-email-taken = An account with the email address of your { $provider } account already exists.
login-link-none = No account is linked to your { $provider } account yet.
login-link-once = Sign in with your password once to link your { $provider } account <strong>{ $account }</strong> to it; next time, { $provider } is enough.
login-unverified = Confirm your email address first: open the link we sent to <strong>{ $email }</strong>, then sign in.
login-send-again = Send the link again
login-username = Username or email
login-password = Password
login-submit = Sign in
login-forgot = Forgot password?
login-create = Create account
login-or = or
login-with = Sign in with { $provider }
login-no-way = No way to sign in is configured. Ask your administrator.
login-invalid = The username or password is incorrect.
login-throttled = Too many failed attempts. Please wait a few minutes and try again.
login-disabled = This account is disabled. Ask your administrator to enable it.
passkey-name = Name of the new passkey (optional)
passkey-name-example = For example: work laptop
text-passkey-sign-in = Sign in with a passkey

## Consent
consent-title = { $app } wants access
consent-described = It describes itself from <strong>{ $host }</strong>; nobody at this service has checked it.
consent-anyone = Anyone could have registered it under this name; nobody at this service has checked it.
consent-sends-to = It will send you to <strong>{ $host }</strong>.
consent-this-computer = It runs on this computer: allow only if you started it yourself just now.
consent-trust = Allow only if you trust it.
consent-device = A device is asking for access with the code <strong>{ $code }</strong>. Allow only if you started this on your own device and it shows this code.
consent-allows = This will allow { $app } to:
consent-detail = { $actions } in { $what } { $locations } ({ $api })
consent-and = and
consent-signed-in-only = { $app } asks to know that you are signed in.
consent-deny = Deny
consent-allow = Allow
scope-openid = Confirm who you are
scope-profile = See your name and username
scope-email = See your email address
scope-address = See your postal address
scope-phone = See your phone number
scope-offline_access = Keep access while you are away, until you revoke it
scope-other = Use the permission “{ $name }”

## Sign out
logout-title = Sign out
logout-heading = Sign out?
logout-app-asks = { $app } asks to sign you out of { $product }.
logout-about-to = You are about to sign out of { $product }.
logout-signed-in-as = You are signed in as <strong>{ $user }</strong>
logout-stay = Stay signed in
logout-submit = Sign out
back-to = Back to { $app }

## Errors and leaving
back-to-application = Back to the application
support-reference = If you contact support, quote this reference: <code>{ $reference }</code>
developer-details = Details for the application's developer
leaving-title = Leaving for { $host }
leaving-warning = It asks to send you to <strong>{ $host }</strong>. Anyone could have registered it; nobody at this service has checked it. Continue only if you expected to go there.
continue-to = Continue to { $host }

## Devices
device-title = Connect a device
device-lead = Enter the code shown on your device.
device-code = Code
device-continue = Continue
device-legal = Only enter a code you see on a device you are setting up yourself.

## Home
home-title = Sign-in service
home-text = Applications send you here to sign in. There is nothing to do on this page itself: go back to the application you were using.
home-console = Administrators: the console

## Accounts: sign-up, password reset, address confirmation
check-email = Check your email
link-expired = Link expired
password-hint = At least { $min } characters. A long phrase is easiest to remember.
signup-title = Create your account
signup-sent = We sent a message to <strong>{ $email }</strong>. Open the link in it to finish: your account is created only then.
signup-nothing-arrived = Nothing arrived after a few minutes? Look in your spam folder, or sign up again.
signup-confirm-title = Confirm your account
signup-confirm-lead = This address is yours: create the account.
signup-confirm-submit = Create my account
signup-created-title = Account created
signup-created = Your account <strong>{ $username }</strong> is ready. Sign in to your applications with <strong>{ $email }</strong> and the password you chose.
signup-taken-title = Address already registered
signup-taken = An account with this address was created meanwhile. Sign in with it, or <a href="{ $forgot }">choose a new password</a> if you forgot yours.
signup-for-domains = For addresses at { $domains }.
signup-one-account = One account for every application that signs in with { $product }.
signup-email = Email
signup-invited-at = The address you were invited at.
signup-name = Name
signup-optional = (optional)
signup-password = Password
signup-password-again = Password again
signup-submit = Create account
signup-have-account = Already have an account? <a href="{ $login }">Sign in</a>
forgot-title = Reset your password
forgot-sent = If an account uses that address or name, a message with a link to choose a new password is on its way. The link works once, for a limited time.
forgot-nothing-arrived = Nothing arrived after a few minutes? Look in your spam folder, or ask again.
forgot-lead = Enter the email address or username of your account. We will send a link to choose a new password.
forgot-address = Email or username
forgot-submit = Send the link
forgot-back = Back to sign in
reset-done-title = Password changed
reset-done = The password of <strong>{ $username }</strong> is changed. Every device that was signed in is signed out; sign in again with the new password.
reset-return = Return to the application you were using and sign in.
reset-ask-again = Ask for a new link
reset-title = Choose a new password
reset-for = for <strong>{ $username }</strong>
reset-password = New password
reset-password-again = New password again
reset-submit = Change password
reset-signs-out = Changing it signs you out everywhere.
verify-done-title = Address confirmed
verify-done = <strong>{ $email }</strong> is confirmed. Go back to your application and sign in.
verify-gone = This link has expired or was already used. Sign in to get a new one: links work once, for a limited time.
verify-resent = A new link is on its way to <strong>{ $email }</strong>. Open it, then sign in.
verify-title = Confirm your address
verify-lead = This address belongs to your account: confirm it.
verify-submit = Confirm my address

## Two-step sign-in
mfa-title = Two-step sign-in
mfa-codes-title = Your recovery codes
mfa-codes-lead = Two-step sign-in is on. Keep these codes somewhere safe, away from your phone: each works once, when you cannot use your authenticator app. They are shown only now.
mfa-codes-saved = I have saved them, continue
mfa-used-title = Recovery code used
mfa-used = That code is used up. You have <strong>{ $left }</strong> { $left ->
    [one] recovery code
   *[other] recovery codes
} left.
mfa-used-few = Make new ones on your account page.
mfa-continue = Continue
mfa-enrol-title = Add an authenticator app
mfa-enrol-lead = Signing in here needs a second step. Scan this code with an authenticator app (such as Google Authenticator, Microsoft Authenticator, 1Password or Aegis), then type the 6-digit code it shows.
mfa-qr = QR code of the key
mfa-key = Or type this key: <code>{ $key }</code>
mfa-app-code = Code from the app
mfa-turn-on = Turn on two-step sign-in
mfa-lead-both = Use one of your passkeys, or enter the 6-digit code from your authenticator app or one of your recovery codes.
mfa-lead-code = Enter the 6-digit code from your authenticator app, or one of your recovery codes.
mfa-lead-passkey = Confirm it is you with one of your passkeys.
mfa-code = Code

## Account page
account-title = Your account
account-profile = Profile
account-email-line = Email: <strong>{ $email }</strong>
account-confirmed = (confirmed)
account-not-confirmed = (not confirmed yet)
account-name = Name
account-given-name = Given name
account-family-name = Family name
account-save-profile = Save profile
account-email-title = Email address
account-new-address = New address
account-new-address-hint = We send a link there; your address changes when you open it, and the old one is told.
account-current-password = Current password
account-change-address = Change address
account-password-title = Password
account-new-password = New password
account-new-password-hint = At least { $min } characters. Changing it signs out your other devices.
account-new-password-again = New password again
account-change-password = Change password
account-mfa-on = An authenticator app is asked for a code after your password (added { $added } UTC). Recovery codes left: <strong>{ $left }</strong>.
account-mfa-on-used = An authenticator app is asked for a code after your password (added { $added } UTC, last used { $used } UTC). Recovery codes left: <strong>{ $left }</strong>.
account-new-codes = Make new recovery codes
account-app-code = A code from the app
account-mfa-off = Turn off two-step sign-in
account-mfa-offer = Add an authenticator app: signing in then also asks for the code it shows.
account-passkeys = Passkeys
account-passkeys-about = A passkey signs you in with your fingerprint, face, screen lock or security key instead of a password, and works only on this site, so it cannot be phished.
account-passkey-synced = synced across your devices
account-passkey-one-device = on one device
account-passkey-added = added { $added } UTC
account-passkey-used = last used { $used } UTC
account-passkey-unused = not used yet
account-passkey-new-name = New name for { $name }
account-rename = Rename
account-passkey-remove = Remove the passkey { $name }
account-remove = Remove
account-no-passkey = You have no passkey yet.
account-passkey-script = Adding a passkey needs JavaScript.
account-devices = Devices
account-signed-in-since = Signed in { $since } UTC
account-this-device = (this device)
account-no-other-devices = No other sign-ins.
account-sign-out-elsewhere = Sign out everywhere else
account-applications = Applications
account-app-may = <strong>{ $app }</strong> may:
account-remove-access = Remove access
account-no-applications = No application has access to your account.
account-linked = Linked sign-ins
account-unlink = Unlink
account-nothing-linked = No other account is linked to this one.
account-link = Link a { $provider } account
account-delete-title = Delete your account
account-delete-hint = This cannot be undone: every application loses access, and your account is gone.
account-delete = Delete my account
account-sign-out = Sign out
account-codes-lead = Keep these somewhere safe, away from your phone. Each works once, when you cannot use your authenticator app. They are shown only now.
account-codes-saved = I have saved them
account-totp-lead = Scan this code with an authenticator app (such as Google Authenticator, Microsoft Authenticator, 1Password or Aegis), then type the 6-digit code it shows.
account-cancel = Cancel

## Texts made in code, found by their English words (ui::i18n::Catalogs::translate)
text-cannot-complete = This request cannot be completed
text-not-registered = The application that sent you here is not registered.
text-unregistered-return = The application asked to return to an address it has not registered.
text-form-incomplete = The form is incomplete. Go back to the application and try again.
text-form-unverified = The form could not be verified. Go back and try again.
text-cannot-continue = This request cannot continue.
text-went-wrong = Something went wrong
text-try-again = Please try again.
text-could-not-complete = Keygate could not complete the request. Please try again.
text-form-expired = This form has expired
text-reload = Reload the page and try again.
text-not-found = Page not found
text-nothing-here = There is nothing at this address. If an application sent you here, go back to it and try again.
text-cannot-sign-in = You cannot sign in
text-still-signed-in = You are still signed in
text-nothing-changed = Nothing was changed.
text-signed-out = You are signed out
text-close-window = You can close this window.
text-use-passkey = Use a passkey
text-add-passkey = Add a passkey
text-device-wrong-code = That code is not valid or has expired. Check the code on your device.
text-device-throttled = Too many wrong codes. Please wait a few minutes and try again.

## Emails. $product is the product's name; links come on their own line after a message ending
## in a colon. No markup: the same words go into the text and the HTML part.
mail-hello = Hello { $name },
mail-hello-anyone = Hello,
mail-change-email-subject = Confirm your new address for { $product }
mail-change-email-body = To use this address ({ $new_email }) for your { $product } account { $username }, open this link within { $hours ->
    [one] one hour
   *[other] { $hours } hours
  }:
mail-change-email-button = Use this address
mail-change-email-after = Until then your account keeps its current address. If you did not ask for this, ignore this message.
mail-email-changed-subject = The address of your { $product } account was changed
mail-email-changed-body = Your { $product } account { $username } now uses the address { $new_email } instead of this one.
mail-email-changed-warning = If you did not do this, reset your password at once and tell your administrator:
mail-reset-now-button = Reset your password
mail-invite-subject = You are invited to { $product }
mail-invite-body = You are invited to create a { $product } account for { $username }. Open this link within { $days ->
    [one] one day
   *[other] { $days } days
  } to choose your password:
mail-invite-button = Create my account
mail-invite-after = If you did not expect this, ignore this message.
mail-password-changed-subject = Your { $product } password was changed
mail-password-changed-body = The password of your { $product } account was changed, and every device signed in to it was signed out.
mail-password-changed-warning = If you did not do this, reset your password at once:
mail-reset-subject = Reset your { $product } password
mail-reset-body = Someone asked to reset the password of your { $product } account. To choose a new password, open this link within { $minutes ->
    [one] one minute
   *[other] { $minutes } minutes
  }:
mail-reset-button = Choose a new password
mail-reset-after = If it was not you, ignore this message: your password stays as it is.
mail-signup-subject = Confirm your email address for { $product }
mail-signup-body = To finish creating your { $product } account, confirm that this address is yours by opening this link within { $hours ->
    [one] one hour
   *[other] { $hours } hours
  }:
mail-confirm-button = Confirm my address
mail-signup-after = If you did not sign up, ignore this message: no account is created without it.
mail-signup-exists-subject = Someone tried to sign up to { $product } with your address
mail-signup-exists-body = Someone tried to create a { $product } account with this email address, which already has one. Nothing was changed.
mail-signup-exists-forgot = If it was you, sign in as usual, or choose a new password if you forgot it:
mail-choose-password-button = Choose a new password
mail-signup-exists-after = If it was not you, you can ignore this message.
mail-test-subject = { $product } test message
mail-test-body = This is a test message from { $product } at { $issuer }.
mail-test-after = If you can read it, { $product } can send email: password resets, address verifications and invitations will arrive.
mail-verify-subject = Confirm your email address for { $product }
mail-verify-body = Confirm that this address belongs to your { $product } account ({ $username }) by opening this link within { $hours ->
    [one] one hour
   *[other] { $hours } hours
  }:
mail-verify-after = If you do not have an account, ignore this message.

## Texts made in code: account notices and form problems (looked up by the English words).
text-notice-profile = Your profile is saved.
text-notice-password = Your password is changed. Your other devices are signed out.
text-notice-sessions = Your other devices are signed out.
text-notice-application = The application no longer has access to your account.
text-notice-email = Check your new address: the change takes effect when you open the link we sent there.
text-notice-unlinked = That sign-in is no longer linked to your account.
text-notice-linked = You can now sign in with that account too.
text-notice-mfa-on = Two-step sign-in is on.
text-notice-mfa-off = Two-step sign-in is off.
text-notice-passkey = Your passkey is added: you can sign in with it.
text-notice-passkey-renamed = The passkey is renamed.
text-notice-passkey-removed = The passkey is removed.
text-field-password = password
text-field-email = email
text-field-name = name
text-passwords-differ = the two passwords are not the same
text-passwords-differ-sentence = The two passwords are not the same.
text-password-too-common = the password is too common: it is on a list of passwords that attackers try first
text-password-pattern = the password is a simple pattern (one character repeated, a run like abcdef or 987654, or a keyboard row)
text-password-has-name = the password must not contain the username or email name
text-password-too-long = the password must have at most { $max } characters
text-password-too-short = the password must have at least { $min } characters (it has { $length }); a few unrelated words make a good one
text-reset-link-gone = This link has expired or was already used. Ask for a new one: links work once, for a limited time.
text-signup-link-gone = This link has expired or was already used. Sign up again to get a new one: links work once, for a limited time.
text-link-again = Open your account page, sign in, and link the account again.
text-link-other-sign-in = This link was started by another sign-in
text-sign-in-failed = Sign-in failed
text-try-again-now = Try again.
text-no-linked-account = No account is linked to this sign-in yet. Ask your administrator to link it.
text-invalid-redirect = Invalid redirect
text-invalid-redirect-uri = The redirect URI is invalid.
text-no-passwords = Passwords are not used here
text-no-passwords-reset = This service signs you in without a password, so there is none to reset.
