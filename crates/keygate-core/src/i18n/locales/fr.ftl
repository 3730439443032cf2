# Keygate's end-user pages in French (Français); the messages of en.ftl.

language-name = Français
language-picker = Langue

## Layout
secured-by = Sécurisé par { $product }
support-link = Aide
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
login-link-once = Connectez-vous une fois avec votre mot de passe pour y lier votre compte { $provider } <strong>{ $account }</strong> ; la prochaine fois, { $provider } suffira.
login-unverified = Confirmez d'abord votre adresse e-mail : ouvrez le lien envoyé à <strong>{ $email }</strong>, puis connectez-vous.
login-send-again = Renvoyer le lien
login-username = Nom d'utilisateur ou e-mail
login-password = Mot de passe
login-submit = Se connecter
login-forgot = Mot de passe oublié ?
login-create = Créer un compte
login-or = ou
login-with = Se connecter avec { $provider }
login-no-way = Aucun moyen de connexion n'est configuré. Contactez votre administrateur.
login-invalid = Le nom d'utilisateur ou le mot de passe est incorrect.
login-throttled = Trop de tentatives échouées. Veuillez patienter quelques minutes et réessayer.
login-disabled = Ce compte est désactivé. Demandez à votre administrateur de l'activer.
passkey-name = Nom de la nouvelle clé d'accès (facultatif)
passkey-name-example = Par exemple : ordinateur du travail
text-passkey-sign-in = Se connecter avec une clé d'accès

## Consent
consent-title = { $app } demande l'accès
consent-described = Elle se décrit depuis <strong>{ $host }</strong> ; personne dans ce service ne l'a vérifiée.
consent-anyone = N'importe qui aurait pu l'enregistrer sous ce nom ; personne dans ce service ne l'a vérifiée.
consent-sends-to = Elle vous enverra vers <strong>{ $host }</strong>.
consent-this-computer = Elle s'exécute sur cet ordinateur : n'autorisez que si vous venez de la lancer vous-même.
consent-trust = N'autorisez que si vous lui faites confiance.
consent-device = Un appareil demande l'accès avec le code <strong>{ $code }</strong>. N'autorisez que si vous l'avez lancé sur votre propre appareil et qu'il affiche ce code.
consent-allows = Cela permettra à { $app } de :
consent-detail = { $actions } dans { $what } { $locations } ({ $api })
consent-and = et
consent-signed-in-only = { $app } demande à savoir que vous êtes connecté.
consent-deny = Refuser
consent-allow = Autoriser
scope-openid = Confirmer qui vous êtes
scope-profile = Voir votre nom et votre nom d'utilisateur
scope-email = Voir votre adresse e-mail
scope-address = Voir votre adresse postale
scope-phone = Voir votre numéro de téléphone
scope-offline_access = Garder l'accès en votre absence, jusqu'à ce que vous le retiriez
scope-other = Utiliser l'autorisation « { $name } »

## Sign out
logout-title = Déconnexion
logout-heading = Se déconnecter ?
logout-app-asks = { $app } demande à vous déconnecter de { $product }.
logout-about-to = Vous êtes sur le point de vous déconnecter de { $product }.
logout-signed-in-as = Vous êtes connecté en tant que <strong>{ $user }</strong>
logout-stay = Rester connecté
logout-submit = Se déconnecter
back-to = Retour à { $app }

## Errors and leaving
back-to-application = Retour à l'application
support-reference = Si vous contactez le support, indiquez cette référence : <code>{ $reference }</code>
developer-details = Détails pour le développeur de l'application
leaving-title = Départ vers { $host }
leaving-warning = Elle demande à vous envoyer vers <strong>{ $host }</strong>. N'importe qui aurait pu l'enregistrer ; personne dans ce service ne l'a vérifiée. Ne continuez que si vous vous attendiez à y aller.
continue-to = Continuer vers { $host }

## Devices
device-title = Connecter un appareil
device-lead = Saisissez le code affiché sur votre appareil.
device-code = Code
device-continue = Continuer
device-legal = Ne saisissez qu'un code affiché sur un appareil que vous configurez vous-même.

## Home
home-title = Service de connexion
home-text = Les applications vous envoient ici pour vous connecter. Il n'y a rien à faire sur cette page : revenez à l'application que vous utilisiez.
home-console = Administrateurs : la console

## Accounts: sign-up, password reset, address confirmation
check-email = Consultez vos e-mails
link-expired = Lien expiré
password-hint = Au moins { $min } caractères. Une longue phrase est la plus facile à retenir.
signup-title = Créer votre compte
signup-sent = Nous avons envoyé un message à <strong>{ $email }</strong>. Ouvrez le lien qu'il contient pour terminer : votre compte n'est créé qu'à ce moment-là.
signup-nothing-arrived = Rien reçu après quelques minutes ? Regardez dans vos indésirables, ou inscrivez-vous à nouveau.
signup-confirm-title = Confirmer votre compte
signup-confirm-lead = Cette adresse est la vôtre : créez le compte.
signup-confirm-submit = Créer mon compte
signup-created-title = Compte créé
signup-created = Votre compte <strong>{ $username }</strong> est prêt. Connectez-vous à vos applications avec <strong>{ $email }</strong> et le mot de passe choisi.
signup-taken-title = Adresse déjà enregistrée
signup-taken = Un compte avec cette adresse a été créé entre-temps. Connectez-vous avec, ou <a href="{ $forgot }">choisissez un nouveau mot de passe</a> si vous avez oublié le vôtre.
signup-for-domains = Pour les adresses de { $domains }.
signup-one-account = Un seul compte pour toutes les applications qui se connectent avec { $product }.
signup-email = E-mail
signup-invited-at = L'adresse à laquelle vous avez été invité.
signup-name = Nom
signup-optional = (facultatif)
signup-password = Mot de passe
signup-password-again = Confirmer le mot de passe
signup-submit = Créer le compte
signup-have-account = Vous avez déjà un compte ? <a href="{ $login }">Se connecter</a>
forgot-title = Réinitialiser votre mot de passe
forgot-sent = Si un compte utilise cette adresse ou ce nom, un message contenant un lien pour choisir un nouveau mot de passe est en route. Le lien fonctionne une seule fois, pendant un temps limité.
forgot-nothing-arrived = Rien reçu après quelques minutes ? Regardez dans vos indésirables, ou redemandez.
forgot-lead = Saisissez l'adresse e-mail ou le nom d'utilisateur de votre compte. Nous enverrons un lien pour choisir un nouveau mot de passe.
forgot-address = E-mail ou nom d'utilisateur
forgot-submit = Envoyer le lien
forgot-back = Retour à la connexion
reset-done-title = Mot de passe modifié
reset-done = Le mot de passe de <strong>{ $username }</strong> est modifié. Tous les appareils connectés sont déconnectés ; reconnectez-vous avec le nouveau mot de passe.
reset-return = Revenez à l'application que vous utilisiez et connectez-vous.
reset-ask-again = Demander un nouveau lien
reset-title = Choisir un nouveau mot de passe
reset-for = pour <strong>{ $username }</strong>
reset-password = Nouveau mot de passe
reset-password-again = Confirmer le nouveau mot de passe
reset-submit = Changer le mot de passe
reset-signs-out = Le changer vous déconnecte partout.
verify-done-title = Adresse confirmée
verify-done = <strong>{ $email }</strong> est confirmée. Revenez à votre application et connectez-vous.
verify-gone = Ce lien a expiré ou a déjà été utilisé. Connectez-vous pour en obtenir un nouveau : les liens fonctionnent une seule fois, pendant un temps limité.
verify-resent = Un nouveau lien est en route vers <strong>{ $email }</strong>. Ouvrez-le, puis connectez-vous.
verify-title = Confirmer votre adresse
verify-lead = Cette adresse appartient à votre compte : confirmez-la.
verify-submit = Confirmer mon adresse

## Two-step sign-in
mfa-title = Connexion en deux étapes
mfa-codes-title = Vos codes de récupération
mfa-codes-lead = La connexion en deux étapes est activée. Gardez ces codes en lieu sûr, loin de votre téléphone : chacun fonctionne une fois, quand vous ne pouvez pas utiliser votre application d'authentification. Ils ne sont affichés que maintenant.
mfa-codes-saved = Je les ai enregistrés, continuer
mfa-used-title = Code de récupération utilisé
mfa-used = Ce code est épuisé. Il vous reste <strong>{ $left }</strong> { $left ->
    [one] code de récupération
   *[other] codes de récupération
}.
mfa-used-few = Créez-en de nouveaux sur la page de votre compte.
mfa-continue = Continuer
mfa-enrol-title = Ajouter une application d'authentification
mfa-enrol-lead = La connexion ici demande une seconde étape. Scannez ce code avec une application d'authentification (comme Google Authenticator, Microsoft Authenticator, 1Password ou Aegis), puis saisissez le code à 6 chiffres qu'elle affiche.
mfa-qr = Code QR de la clé
mfa-key = Ou saisissez cette clé : <code>{ $key }</code>
mfa-app-code = Code de l'application
mfa-turn-on = Activer la connexion en deux étapes
mfa-lead-both = Utilisez l'une de vos clés d'accès, ou saisissez le code à 6 chiffres de votre application d'authentification ou l'un de vos codes de récupération.
mfa-lead-code = Saisissez le code à 6 chiffres de votre application d'authentification, ou l'un de vos codes de récupération.
mfa-lead-passkey = Confirmez que c'est bien vous avec l'une de vos clés d'accès.
mfa-code = Code

## Account page
account-title = Votre compte
account-profile = Profil
account-email-line = E-mail : <strong>{ $email }</strong>
account-confirmed = (confirmée)
account-not-confirmed = (pas encore confirmée)
account-name = Nom
account-given-name = Prénom
account-family-name = Nom de famille
account-save-profile = Enregistrer le profil
account-email-title = Adresse e-mail
account-new-address = Nouvelle adresse
account-new-address-hint = Nous y envoyons un lien ; votre adresse change quand vous l'ouvrez, et l'ancienne en est informée.
account-current-password = Mot de passe actuel
account-change-address = Changer d'adresse
account-password-title = Mot de passe
account-new-password = Nouveau mot de passe
account-new-password-hint = Au moins { $min } caractères. Le changer déconnecte vos autres appareils.
account-new-password-again = Confirmer le nouveau mot de passe
account-change-password = Changer le mot de passe
account-mfa-on = Une application d'authentification vous demande un code après votre mot de passe (ajoutée le { $added } UTC). Codes de récupération restants : <strong>{ $left }</strong>.
account-mfa-on-used = Une application d'authentification vous demande un code après votre mot de passe (ajoutée le { $added } UTC, utilisée pour la dernière fois le { $used } UTC). Codes de récupération restants : <strong>{ $left }</strong>.
account-new-codes = Créer de nouveaux codes de récupération
account-app-code = Un code de l'application
account-mfa-off = Désactiver la connexion en deux étapes
account-mfa-offer = Ajoutez une application d'authentification : la connexion demandera alors aussi le code qu'elle affiche.
account-passkeys = Clés d'accès
account-passkeys-about = Une clé d'accès vous connecte avec votre empreinte, votre visage, le verrouillage de l'écran ou une clé de sécurité au lieu d'un mot de passe, et ne fonctionne que sur ce site : elle ne peut pas être hameçonnée.
account-passkey-synced = synchronisée sur vos appareils
account-passkey-one-device = sur un seul appareil
account-passkey-added = ajoutée le { $added } UTC
account-passkey-used = utilisée pour la dernière fois le { $used } UTC
account-passkey-unused = pas encore utilisée
account-passkey-new-name = Nouveau nom pour { $name }
account-rename = Renommer
account-passkey-remove = Supprimer la clé d'accès { $name }
account-remove = Supprimer
account-no-passkey = Vous n'avez pas encore de clé d'accès.
account-passkey-script = L'ajout d'une clé d'accès nécessite JavaScript.
account-devices = Appareils
account-signed-in-since = Connecté depuis le { $since } UTC
account-this-device = (cet appareil)
account-no-other-devices = Aucune autre connexion.
account-sign-out-elsewhere = Se déconnecter partout ailleurs
account-applications = Applications
account-app-may = <strong>{ $app }</strong> peut :
account-remove-access = Retirer l'accès
account-no-applications = Aucune application n'a accès à votre compte.
account-linked = Connexions liées
account-unlink = Délier
account-nothing-linked = Aucun autre compte n'est lié à celui-ci.
account-link = Lier un compte { $provider }
account-delete-title = Supprimer votre compte
account-delete-hint = Cette action est définitive : toutes les applications perdent l'accès, et votre compte disparaît.
account-delete = Supprimer mon compte
account-sign-out = Se déconnecter
account-codes-lead = Gardez-les en lieu sûr, loin de votre téléphone. Chacun fonctionne une fois, quand vous ne pouvez pas utiliser votre application d'authentification. Ils ne sont affichés que maintenant.
account-codes-saved = Je les ai enregistrés
account-totp-lead = Scannez ce code avec une application d'authentification (comme Google Authenticator, Microsoft Authenticator, 1Password ou Aegis), puis saisissez le code à 6 chiffres qu'elle affiche.
account-cancel = Annuler

## Texts made in code, found by their English words (ui::i18n::Catalogs::translate)
text-cannot-complete = Cette demande ne peut pas aboutir
text-not-registered = L'application qui vous a envoyé ici n'est pas enregistrée.
text-unregistered-return = L'application a demandé à revenir à une adresse qu'elle n'a pas enregistrée.
text-form-incomplete = Le formulaire est incomplet. Revenez à l'application et réessayez.
text-form-unverified = Le formulaire n'a pas pu être vérifié. Revenez en arrière et réessayez.
text-cannot-continue = Cette demande ne peut pas continuer.
text-went-wrong = Une erreur s'est produite
text-try-again = Veuillez réessayer.
text-could-not-complete = Keygate n'a pas pu terminer la demande. Veuillez réessayer.
text-form-expired = Ce formulaire a expiré
text-reload = Rechargez la page et réessayez.
text-not-found = Page introuvable
text-nothing-here = Il n'y a rien à cette adresse. Si une application vous a envoyé ici, revenez-y et réessayez.
text-cannot-sign-in = Vous ne pouvez pas vous connecter
text-still-signed-in = Vous êtes toujours connecté
text-nothing-changed = Rien n'a été modifié.
text-signed-out = Vous êtes déconnecté
text-close-window = Vous pouvez fermer cette fenêtre.
text-use-passkey = Utiliser une clé d'accès
text-add-passkey = Ajouter une clé d'accès
text-device-wrong-code = Ce code n'est pas valide ou a expiré. Vérifiez le code sur votre appareil.
text-device-throttled = Trop de codes erronés. Veuillez patienter quelques minutes et réessayer.

## E-mails.
mail-hello = Bonjour { $name },
mail-hello-anyone = Bonjour,
mail-change-email-subject = Confirmez votre nouvelle adresse pour { $product }
mail-change-email-body = Pour utiliser cette adresse ({ $new_email }) pour votre compte { $product } { $username }, ouvrez ce lien dans { $hours ->
    [one] l’heure
   *[other] les { $hours } heures
  } :
mail-change-email-button = Utiliser cette adresse
mail-change-email-after = D’ici là, votre compte garde son adresse actuelle. Si vous n’avez rien demandé, ignorez ce message.
mail-email-changed-subject = L’adresse de votre compte { $product } a été modifiée
mail-email-changed-body = Votre compte { $product } { $username } utilise désormais l’adresse { $new_email } au lieu de celle-ci.
mail-email-changed-warning = Si ce n’était pas vous, réinitialisez votre mot de passe sans attendre et prévenez votre administrateur :
mail-reset-now-button = Réinitialiser votre mot de passe
mail-invite-subject = Vous êtes invité à { $product }
mail-invite-body = Vous êtes invité à créer un compte { $product } pour { $username }. Ouvrez ce lien dans { $days ->
    [one] la journée
   *[other] les { $days } jours
  } pour choisir votre mot de passe :
mail-invite-button = Créer mon compte
mail-invite-after = Si vous ne vous y attendiez pas, ignorez ce message.
mail-password-changed-subject = Votre mot de passe { $product } a été modifié
mail-password-changed-body = Le mot de passe de votre compte { $product } a été modifié, et chaque appareil connecté à ce compte a été déconnecté.
mail-password-changed-warning = Si ce n’était pas vous, réinitialisez votre mot de passe sans attendre :
mail-reset-subject = Réinitialisez votre mot de passe { $product }
mail-reset-body = Quelqu’un a demandé à réinitialiser le mot de passe de votre compte { $product }. Pour choisir un nouveau mot de passe, ouvrez ce lien dans { $minutes ->
    [one] la minute
   *[other] les { $minutes } minutes
  } :
mail-reset-button = Choisir un nouveau mot de passe
mail-reset-after = Si ce n’était pas vous, ignorez ce message : votre mot de passe reste inchangé.
mail-signup-subject = Confirmez votre adresse e-mail pour { $product }
mail-signup-body = Pour terminer la création de votre compte { $product }, confirmez que cette adresse est la vôtre en ouvrant ce lien dans { $hours ->
    [one] l’heure
   *[other] les { $hours } heures
  } :
mail-confirm-button = Confirmer mon adresse
mail-signup-after = Si vous ne vous êtes pas inscrit, ignorez ce message : aucun compte n’est créé sans lui.
mail-signup-exists-subject = Quelqu’un a tenté de s’inscrire à { $product } avec votre adresse
mail-signup-exists-body = Quelqu’un a tenté de créer un compte { $product } avec cette adresse e-mail, qui en a déjà un. Rien n’a été modifié.
mail-signup-exists-forgot = Si c’était vous, connectez-vous comme d’habitude, ou choisissez un nouveau mot de passe si vous l’avez oublié :
mail-choose-password-button = Choisir un nouveau mot de passe
mail-signup-exists-after = Si ce n’était pas vous, vous pouvez ignorer ce message.
mail-test-subject = Message de test de { $product }
mail-test-body = Ceci est un message de test de { $product } à { $issuer }.
mail-test-after = Si vous pouvez le lire, { $product } peut envoyer des e-mails : les réinitialisations de mot de passe, les vérifications d’adresse et les invitations arriveront.
mail-verify-subject = Confirmez votre adresse e-mail pour { $product }
mail-verify-body = Confirmez que cette adresse appartient à votre compte { $product } ({ $username }) en ouvrant ce lien dans { $hours ->
    [one] l’heure
   *[other] les { $hours } heures
  } :
mail-verify-after = Si vous n’avez pas de compte, ignorez ce message.

## Texts made in code: account notices and form problems (looked up by the English words).
text-notice-profile = Votre profil est enregistré.
text-notice-password = Votre mot de passe est modifié. Vos autres appareils sont déconnectés.
text-notice-sessions = Vos autres appareils sont déconnectés.
text-notice-application = L’application n’a plus accès à votre compte.
text-notice-email = Consultez votre nouvelle adresse : le changement prend effet quand vous ouvrez le lien que nous y avons envoyé.
text-notice-unlinked = Cette connexion n’est plus liée à votre compte.
text-notice-linked = Vous pouvez désormais aussi vous connecter avec ce compte.
text-notice-mfa-on = La connexion en deux étapes est activée.
text-notice-mfa-off = La connexion en deux étapes est désactivée.
text-notice-passkey = Votre clé d’accès est ajoutée : vous pouvez vous connecter avec.
text-notice-passkey-renamed = La clé d’accès est renommée.
text-notice-passkey-removed = La clé d’accès est supprimée.
text-field-password = mot de passe
text-field-email = e-mail
text-field-name = nom
text-passwords-differ = les deux mots de passe ne sont pas identiques
text-passwords-differ-sentence = Les deux mots de passe ne sont pas identiques.
text-password-too-common = le mot de passe est trop courant : il figure sur une liste de mots de passe que les attaquants essaient en premier
text-password-pattern = le mot de passe est un motif simple (un caractère répété, une suite comme abcdef ou 987654, ou une rangée du clavier)
text-password-has-name = le mot de passe ne doit pas contenir le nom d’utilisateur ni le nom de l’adresse e-mail
text-password-too-long = le mot de passe doit avoir au plus { $max } caractères
text-password-too-short = le mot de passe doit avoir au moins { $min } caractères (il en a { $length }) ; quelques mots sans rapport en font un bon
text-reset-link-gone = Ce lien a expiré ou a déjà servi. Demandez-en un nouveau : les liens ne servent qu’une fois, pendant un temps limité.
text-signup-link-gone = Ce lien a expiré ou a déjà servi. Inscrivez-vous à nouveau pour en recevoir un autre : les liens ne servent qu’une fois, pendant un temps limité.
text-link-again = Ouvrez la page de votre compte, connectez-vous et liez à nouveau le compte.
text-link-other-sign-in = Cette liaison a été commencée par une autre connexion
text-sign-in-failed = La connexion a échoué
text-try-again-now = Réessayez.
text-no-linked-account = Aucun compte n’est encore lié à cette connexion. Demandez à votre administrateur de le lier.
text-invalid-redirect = Redirection non valide
text-invalid-redirect-uri = L’URI de redirection n’est pas valide.
text-no-passwords = Les mots de passe ne sont pas utilisés ici
text-no-passwords-reset = Ce service vous connecte sans mot de passe : il n’y en a donc aucun à réinitialiser.
