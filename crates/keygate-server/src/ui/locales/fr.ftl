# Keygate's end-user pages in French (Français); the messages of en.ftl.

language-name = Français
language-picker = Langue

## Layout
secured-by = Sécurisé par { $product }
your-account = Votre compte
signed-in-as = Connecté en tant que <strong>{ $user }</strong>
legal-policy = politique de confidentialité
legal-terms = conditions d'utilisation
legal-both = { $policy } et { $terms } de { $app }
legal-one = { $link } de { $app }
unverified-app = Application non vérifiée.

## Login
login-title = Se connecter à { $app }
login-heading = Connexion
login-lead = pour continuer vers <strong>{ $app }</strong>
login-link-email-taken = Un compte avec l'adresse e-mail de votre compte { $provider } existe déjà.
login-link-none = Aucun compte n'est encore lié à votre compte { $provider }.
login-link-once = Connectez-vous une fois avec votre mot de passe pour y lier votre compte { $provider } <strong>{ $account }</strong> ; la prochaine fois, { $provider } suffira.
login-unverified = Confirmez d'abord votre adresse e-mail : ouvrez le lien envoyé à <strong>{ $email }</strong>, puis connectez-vous.
login-send-again = Renvoyer le lien
login-username = Nom d'utilisateur ou e-mail
login-password = Mot de passe
login-submit = Se connecter
login-forgot = Mot de passe oublié ?
login-create = Créer un compte
login-or = ou
login-with = Se connecter avec { $provider }
login-no-way = Aucun moyen de connexion n'est configuré. Contactez votre administrateur.
login-invalid = Le nom d'utilisateur ou le mot de passe est incorrect.
login-throttled = Trop de tentatives échouées. Veuillez patienter quelques minutes et réessayer.
login-disabled = Ce compte est désactivé. Demandez à votre administrateur de l'activer.
passkey-name = Nom de la nouvelle clé d'accès (facultatif)
passkey-name-example = Par exemple : ordinateur du travail
passkey-sign-in = Se connecter avec une clé d'accès

## Consent
consent-title = { $app } demande l'accès
consent-described = Elle se décrit depuis <strong>{ $host }</strong> ; personne dans ce service ne l'a vérifiée.
consent-anyone = N'importe qui aurait pu l'enregistrer sous ce nom ; personne dans ce service ne l'a vérifiée.
consent-sends-to = Elle vous enverra vers <strong>{ $host }</strong>.
consent-this-computer = Elle s'exécute sur cet ordinateur : n'autorisez que si vous venez de la lancer vous-même.
consent-trust = N'autorisez que si vous lui faites confiance.
consent-device = Un appareil demande l'accès avec le code <strong>{ $code }</strong>. N'autorisez que si vous l'avez lancé sur votre propre appareil et qu'il affiche ce code.
consent-allows = Cela permettra à { $app } de :
consent-detail = { $actions } dans { $what } { $locations } ({ $api })
consent-and = et
consent-signed-in-only = { $app } demande à savoir que vous êtes connecté.
consent-deny = Refuser
consent-allow = Autoriser

## Sign out
logout-title = Déconnexion
logout-heading = Se déconnecter ?
logout-app-asks = { $app } demande à vous déconnecter de { $product }.
logout-about-to = Vous êtes sur le point de vous déconnecter de { $product }.
logout-signed-in-as = Vous êtes connecté en tant que <strong>{ $user }</strong>
logout-stay = Rester connecté
logout-submit = Se déconnecter
back-to = Retour à { $app }

## Errors and leaving
back-to-application = Retour à l'application
support-reference = Si vous contactez le support, indiquez cette référence : <code>{ $reference }</code>
developer-details = Détails pour le développeur de l'application
leaving-title = Départ vers { $host }
leaving-warning = Elle demande à vous envoyer vers <strong>{ $host }</strong>. N'importe qui aurait pu l'enregistrer ; personne dans ce service ne l'a vérifiée. Ne continuez que si vous vous attendiez à y aller.
continue-to = Continuer vers { $host }

## Devices
device-title = Connecter un appareil
device-lead = Saisissez le code affiché sur votre appareil.
device-code = Code
device-continue = Continuer
device-legal = Ne saisissez qu'un code affiché sur un appareil que vous configurez vous-même.

## Home
home-title = Service de connexion
home-text = Les applications vous envoient ici pour vous connecter. Il n'y a rien à faire sur cette page : revenez à l'application que vous utilisiez.
home-console = Administrateurs : la console
