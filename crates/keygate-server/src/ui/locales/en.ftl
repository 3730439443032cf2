# Keygate's end-user pages in English, the reference catalog: every other catalog has exactly
# these messages (a test checks). Variables are HTML-escaped before they are put in; the
# markup here (<strong>, <code>) is kept. $product is the product's name ("Keygate").

language-name = English
language-picker = Language

## Layout
secured-by = Secured by { $product }
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
passkey-sign-in = Sign in with a passkey

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
