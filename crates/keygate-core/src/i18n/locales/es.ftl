# Keygate's end-user pages in Spanish (Español); the messages of en.ftl.

language-name = Español
language-picker = Idioma

## Layout
secured-by = Protegido por { $product }
support-link = Ayuda
your-account = Tu cuenta
signed-in-as = Sesión iniciada como <strong>{ $user }</strong>
legal-policy = política de privacidad
legal-terms = condiciones de servicio
legal-both = { $policy } y { $terms } de { $app }
legal-one = { $link } de { $app }
unverified-app = Aplicación no verificada.

## Login
login-title = Iniciar sesión en { $app }
login-heading = Iniciar sesión
login-lead = para continuar a <strong>{ $app }</strong>
login-link-email-taken = Ya existe una cuenta con la dirección de correo de tu cuenta de { $provider }.
login-link-none = Todavía no hay ninguna cuenta vinculada a tu cuenta de { $provider }.
login-link-once = Inicia sesión una vez con tu contraseña para vincular tu cuenta de { $provider } <strong>{ $account }</strong>; la próxima vez bastará con { $provider }.
login-unverified = Primero confirma tu dirección de correo: abre el enlace que enviamos a <strong>{ $email }</strong> y luego inicia sesión.
login-send-again = Enviar el enlace de nuevo
login-username = Nombre de usuario o correo
login-password = Contraseña
login-submit = Iniciar sesión
login-forgot = ¿Olvidaste tu contraseña?
login-create = Crear cuenta
login-or = o
login-with = Iniciar sesión con { $provider }
login-no-way = No hay ninguna forma de iniciar sesión configurada. Pregunta a tu administrador.
login-invalid = El nombre de usuario o la contraseña no son correctos.
login-throttled = Demasiados intentos fallidos. Espera unos minutos y vuelve a intentarlo.
login-disabled = Esta cuenta está desactivada. Pide a tu administrador que la active.
passkey-name = Nombre de la nueva llave de acceso (opcional)
passkey-name-example = Por ejemplo: portátil del trabajo
text-passkey-sign-in = Iniciar sesión con una llave de acceso

## Consent
consent-title = { $app } quiere acceder
consent-described = Se describe a sí misma desde <strong>{ $host }</strong>; nadie en este servicio la ha comprobado.
consent-anyone = Cualquiera podría haberla registrado con este nombre; nadie en este servicio la ha comprobado.
consent-sends-to = Te enviará a <strong>{ $host }</strong>.
consent-this-computer = Se ejecuta en este equipo: permítelo solo si acabas de iniciarla tú.
consent-trust = Permítelo solo si confías en ella.
consent-device = Un dispositivo pide acceso con el código <strong>{ $code }</strong>. Permítelo solo si lo iniciaste en tu propio dispositivo y muestra este código.
consent-allows = Esto permitirá a { $app }:
consent-detail = { $actions } en { $what } { $locations } ({ $api })
consent-and = y
consent-signed-in-only = { $app } pide saber que has iniciado sesión.
consent-deny = Denegar
consent-allow = Permitir
scope-openid = Confirmar quién eres
scope-profile = Ver tu nombre y nombre de usuario
scope-email = Ver tu dirección de correo
scope-address = Ver tu dirección postal
scope-phone = Ver tu número de teléfono
scope-offline_access = Mantener el acceso mientras no estás, hasta que lo retires
scope-other = Usar el permiso «{ $name }»

## Sign out
logout-title = Cerrar sesión
logout-heading = ¿Cerrar sesión?
logout-app-asks = { $app } pide cerrar tu sesión de { $product }.
logout-about-to = Estás a punto de cerrar tu sesión de { $product }.
logout-signed-in-as = Has iniciado sesión como <strong>{ $user }</strong>
logout-stay = Mantener la sesión
logout-submit = Cerrar sesión
back-to = Volver a { $app }

## Errors and leaving
back-to-application = Volver a la aplicación
support-reference = Si contactas con soporte, indica esta referencia: <code>{ $reference }</code>
developer-details = Detalles para quien desarrolla la aplicación
leaving-title = Saliendo hacia { $host }
leaving-warning = Pide enviarte a <strong>{ $host }</strong>. Cualquiera podría haberla registrado; nadie en este servicio la ha comprobado. Continúa solo si esperabas ir allí.
continue-to = Continuar a { $host }

## Devices
device-title = Conectar un dispositivo
device-lead = Introduce el código que muestra tu dispositivo.
device-code = Código
device-continue = Continuar
device-legal = Introduce solo un código que veas en un dispositivo que estés configurando tú.

## Home
home-title = Servicio de inicio de sesión
home-text = Las aplicaciones te envían aquí para iniciar sesión. En esta página no hay nada que hacer: vuelve a la aplicación que estabas usando.
home-console = Administradores: la consola

## Accounts: sign-up, password reset, address confirmation
check-email = Revisa tu correo
link-expired = Enlace caducado
password-hint = Al menos { $min } caracteres. Una frase larga es lo más fácil de recordar.
signup-title = Crea tu cuenta
signup-sent = Enviamos un mensaje a <strong>{ $email }</strong>. Abre el enlace que contiene para terminar: solo entonces se crea tu cuenta.
signup-nothing-arrived = ¿No ha llegado nada tras unos minutos? Mira en la carpeta de spam o regístrate de nuevo.
signup-confirm-title = Confirma tu cuenta
signup-confirm-lead = Esta dirección es tuya: crea la cuenta.
signup-confirm-submit = Crear mi cuenta
signup-created-title = Cuenta creada
signup-created = Tu cuenta <strong>{ $username }</strong> está lista. Inicia sesión en tus aplicaciones con <strong>{ $email }</strong> y la contraseña que elegiste.
signup-taken-title = Dirección ya registrada
signup-taken = Mientras tanto se creó una cuenta con esta dirección. Inicia sesión con ella o <a href="{ $forgot }">elige una contraseña nueva</a> si olvidaste la tuya.
signup-for-domains = Para direcciones de { $domains }.
signup-one-account = Una cuenta para todas las aplicaciones que inician sesión con { $product }.
signup-email = Correo electrónico
signup-invited-at = La dirección a la que te invitaron.
signup-name = Nombre
signup-optional = (opcional)
signup-password = Contraseña
signup-password-again = Repite la contraseña
signup-submit = Crear cuenta
signup-have-account = ¿Ya tienes una cuenta? <a href="{ $login }">Inicia sesión</a>
forgot-title = Restablece tu contraseña
forgot-sent = Si alguna cuenta usa esa dirección o nombre, va en camino un mensaje con un enlace para elegir una contraseña nueva. El enlace funciona una vez, durante un tiempo limitado.
forgot-nothing-arrived = ¿No ha llegado nada tras unos minutos? Mira en la carpeta de spam o vuelve a pedirlo.
forgot-lead = Introduce la dirección de correo o el nombre de usuario de tu cuenta. Te enviaremos un enlace para elegir una contraseña nueva.
forgot-address = Correo o nombre de usuario
forgot-submit = Enviar el enlace
forgot-back = Volver a iniciar sesión
reset-done-title = Contraseña cambiada
reset-done = La contraseña de <strong>{ $username }</strong> se ha cambiado. Se cerró la sesión en todos los dispositivos; vuelve a iniciar sesión con la contraseña nueva.
reset-return = Vuelve a la aplicación que estabas usando e inicia sesión.
reset-ask-again = Pedir un enlace nuevo
reset-title = Elige una contraseña nueva
reset-for = para <strong>{ $username }</strong>
reset-password = Contraseña nueva
reset-password-again = Repite la contraseña nueva
reset-submit = Cambiar la contraseña
reset-signs-out = Cambiarla cierra tu sesión en todas partes.
verify-done-title = Dirección confirmada
verify-done = <strong>{ $email }</strong> está confirmada. Vuelve a tu aplicación e inicia sesión.
verify-gone = Este enlace ha caducado o ya se usó. Inicia sesión para obtener uno nuevo: los enlaces funcionan una vez, durante un tiempo limitado.
verify-resent = Va en camino un enlace nuevo a <strong>{ $email }</strong>. Ábrelo y luego inicia sesión.
verify-title = Confirma tu dirección
verify-lead = Esta dirección pertenece a tu cuenta: confírmala.
verify-submit = Confirmar mi dirección

## Two-step sign-in
mfa-title = Inicio de sesión en dos pasos
mfa-codes-title = Tus códigos de recuperación
mfa-codes-lead = El inicio de sesión en dos pasos está activado. Guarda estos códigos en un lugar seguro, lejos de tu teléfono: cada uno funciona una vez, cuando no puedas usar tu aplicación de autenticación. Solo se muestran ahora.
mfa-codes-saved = Los he guardado, continuar
mfa-used-title = Código de recuperación usado
mfa-used = Ese código ya se ha usado. Te { $left ->
    [one] queda <strong>{ $left }</strong> código de recuperación
   *[other] quedan <strong>{ $left }</strong> códigos de recuperación
}.
mfa-used-few = Crea otros nuevos en la página de tu cuenta.
mfa-continue = Continuar
mfa-enrol-title = Añadir una aplicación de autenticación
mfa-enrol-lead = Iniciar sesión aquí requiere un segundo paso. Escanea este código con una aplicación de autenticación (como Google Authenticator, Microsoft Authenticator, 1Password o Aegis) y escribe el código de 6 dígitos que muestre.
mfa-qr = Código QR de la clave
mfa-key = O escribe esta clave: <code>{ $key }</code>
mfa-app-code = Código de la aplicación
mfa-turn-on = Activar el inicio de sesión en dos pasos
mfa-lead-both = Usa una de tus llaves de acceso, o introduce el código de 6 dígitos de tu aplicación de autenticación o uno de tus códigos de recuperación.
mfa-lead-code = Introduce el código de 6 dígitos de tu aplicación de autenticación o uno de tus códigos de recuperación.
mfa-lead-passkey = Confirma que eres tú con una de tus llaves de acceso.
mfa-code = Código

## Account page
account-title = Tu cuenta
account-profile = Perfil
account-email-line = Correo: <strong>{ $email }</strong>
account-confirmed = (confirmado)
account-not-confirmed = (aún sin confirmar)
account-name = Nombre
account-given-name = Nombre de pila
account-family-name = Apellidos
account-save-profile = Guardar perfil
account-email-title = Dirección de correo
account-new-address = Dirección nueva
account-new-address-hint = Enviamos un enlace allí; tu dirección cambia cuando lo abres y se avisa a la anterior.
account-current-password = Contraseña actual
account-change-address = Cambiar dirección
account-password-title = Contraseña
account-new-password = Contraseña nueva
account-new-password-hint = Al menos { $min } caracteres. Cambiarla cierra la sesión en tus otros dispositivos.
account-new-password-again = Repite la contraseña nueva
account-change-password = Cambiar contraseña
account-mfa-on = Después de tu contraseña se pide un código de una aplicación de autenticación (añadida el { $added } UTC). Códigos de recuperación restantes: <strong>{ $left }</strong>.
account-mfa-on-used = Después de tu contraseña se pide un código de una aplicación de autenticación (añadida el { $added } UTC, usada por última vez el { $used } UTC). Códigos de recuperación restantes: <strong>{ $left }</strong>.
account-new-codes = Crear códigos de recuperación nuevos
account-app-code = Un código de la aplicación
account-mfa-off = Desactivar el inicio de sesión en dos pasos
account-mfa-offer = Añade una aplicación de autenticación: al iniciar sesión también se pedirá el código que muestre.
account-passkeys = Llaves de acceso
account-passkeys-about = Una llave de acceso inicia tu sesión con tu huella, tu cara, el bloqueo de pantalla o una llave de seguridad en lugar de una contraseña, y solo funciona en este sitio, así que no se puede suplantar.
account-passkey-synced = sincronizada entre tus dispositivos
account-passkey-one-device = en un dispositivo
account-passkey-added = añadida el { $added } UTC
account-passkey-used = usada por última vez el { $used } UTC
account-passkey-unused = aún sin usar
account-passkey-new-name = Nombre nuevo para { $name }
account-rename = Renombrar
account-passkey-remove = Quitar la llave de acceso { $name }
account-remove = Quitar
account-no-passkey = Todavía no tienes ninguna llave de acceso.
account-passkey-script = Añadir una llave de acceso requiere JavaScript.
account-devices = Dispositivos
account-signed-in-since = Sesión iniciada el { $since } UTC
account-this-device = (este dispositivo)
account-no-other-devices = No hay otras sesiones.
account-sign-out-elsewhere = Cerrar sesión en los demás sitios
account-applications = Aplicaciones
account-app-may = <strong>{ $app }</strong> puede:
account-remove-access = Quitar acceso
account-no-applications = Ninguna aplicación tiene acceso a tu cuenta.
account-linked = Inicios de sesión vinculados
account-unlink = Desvincular
account-nothing-linked = No hay ninguna otra cuenta vinculada a esta.
account-link = Vincular una cuenta de { $provider }
account-delete-title = Eliminar tu cuenta
account-delete-hint = No se puede deshacer: todas las aplicaciones pierden el acceso y tu cuenta desaparece.
account-delete = Eliminar mi cuenta
account-sign-out = Cerrar sesión
account-codes-lead = Guárdalos en un lugar seguro, lejos de tu teléfono. Cada uno funciona una vez, cuando no puedas usar tu aplicación de autenticación. Solo se muestran ahora.
account-codes-saved = Los he guardado
account-totp-lead = Escanea este código con una aplicación de autenticación (como Google Authenticator, Microsoft Authenticator, 1Password o Aegis) y escribe el código de 6 dígitos que muestre.
account-cancel = Cancelar

## Texts made in code, found by their English words (ui::i18n::Catalogs::translate)
text-cannot-complete = No se puede completar esta solicitud
text-not-registered = La aplicación que te envió aquí no está registrada.
text-unregistered-return = La aplicación pidió volver a una dirección que no ha registrado.
text-form-incomplete = El formulario está incompleto. Vuelve a la aplicación e inténtalo de nuevo.
text-form-unverified = No se pudo verificar el formulario. Vuelve atrás e inténtalo de nuevo.
text-cannot-continue = Esta solicitud no puede continuar.
text-went-wrong = Algo salió mal
text-try-again = Inténtalo de nuevo.
text-could-not-complete = Keygate no pudo completar la solicitud. Inténtalo de nuevo.
text-form-expired = Este formulario ha caducado
text-reload = Recarga la página e inténtalo de nuevo.
text-not-found = Página no encontrada
text-nothing-here = No hay nada en esta dirección. Si una aplicación te envió aquí, vuelve a ella e inténtalo de nuevo.
text-cannot-sign-in = No puedes iniciar sesión
text-still-signed-in = Sigues con la sesión iniciada
text-nothing-changed = No se cambió nada.
text-signed-out = Has cerrado la sesión
text-close-window = Puedes cerrar esta ventana.
text-use-passkey = Usar una llave de acceso
text-add-passkey = Añadir una llave de acceso
text-device-wrong-code = Ese código no es válido o ha caducado. Comprueba el código en tu dispositivo.
text-device-throttled = Demasiados códigos incorrectos. Espera unos minutos y vuelve a intentarlo.

## Correos.
mail-hello = Hola, { $name }:
mail-hello-anyone = Hola:
mail-change-email-subject = Confirme su nueva dirección para { $product }
mail-change-email-body = Para usar esta dirección ({ $new_email }) en su cuenta de { $product } { $username }, abra este enlace en { $hours ->
    [one] una hora
   *[other] { $hours } horas
  }:
mail-change-email-button = Usar esta dirección
mail-change-email-after = Mientras tanto, su cuenta conserva su dirección actual. Si no lo solicitó, ignore este mensaje.
mail-email-changed-subject = Se cambió la dirección de su cuenta de { $product }
mail-email-changed-body = Su cuenta de { $product } { $username } ahora usa la dirección { $new_email } en lugar de esta.
mail-email-changed-warning = Si no fue usted, restablezca su contraseña de inmediato y avise a su administrador:
mail-reset-now-button = Restablecer su contraseña
mail-invite-subject = Tiene una invitación a { $product }
mail-invite-body = Le invitan a crear una cuenta de { $product } para { $username }. Abra este enlace en { $days ->
    [one] un día
   *[other] { $days } días
  } para elegir su contraseña:
mail-invite-button = Crear mi cuenta
mail-invite-after = Si no lo esperaba, ignore este mensaje.
mail-password-changed-subject = Se cambió su contraseña de { $product }
mail-password-changed-body = Se cambió la contraseña de su cuenta de { $product } y se cerró la sesión en todos los dispositivos conectados a ella.
mail-password-changed-warning = Si no fue usted, restablezca su contraseña de inmediato:
mail-reset-subject = Restablezca su contraseña de { $product }
mail-reset-body = Alguien pidió restablecer la contraseña de su cuenta de { $product }. Para elegir una nueva contraseña, abra este enlace en { $minutes ->
    [one] un minuto
   *[other] { $minutes } minutos
  }:
mail-reset-button = Elegir una nueva contraseña
mail-reset-after = Si no fue usted, ignore este mensaje: su contraseña sigue igual.
mail-signup-subject = Confirme su dirección de correo para { $product }
mail-signup-body = Para terminar de crear su cuenta de { $product }, confirme que esta dirección es suya abriendo este enlace en { $hours ->
    [one] una hora
   *[other] { $hours } horas
  }:
mail-confirm-button = Confirmar mi dirección
mail-signup-after = Si no se registró, ignore este mensaje: sin él no se crea ninguna cuenta.
mail-signup-exists-subject = Alguien intentó registrarse en { $product } con su dirección
mail-signup-exists-body = Alguien intentó crear una cuenta de { $product } con esta dirección de correo, que ya tiene una. No se cambió nada.
mail-signup-exists-forgot = Si fue usted, inicie sesión como siempre, o elija una nueva contraseña si la olvidó:
mail-choose-password-button = Elegir una nueva contraseña
mail-signup-exists-after = Si no fue usted, puede ignorar este mensaje.
mail-test-subject = Mensaje de prueba de { $product }
mail-test-body = Este es un mensaje de prueba de { $product } en { $issuer }.
mail-test-after = Si puede leerlo, { $product } puede enviar correos: llegarán los restablecimientos de contraseña, las verificaciones de dirección y las invitaciones.
mail-verify-subject = Confirme su dirección de correo para { $product }
mail-verify-body = Confirme que esta dirección pertenece a su cuenta de { $product } ({ $username }) abriendo este enlace en { $hours ->
    [one] una hora
   *[other] { $hours } horas
  }:
mail-verify-after = Si no tiene una cuenta, ignore este mensaje.

## Texts made in code: account notices and form problems (looked up by the English words).
text-notice-profile = Su perfil está guardado.
text-notice-password = Su contraseña está cambiada. Se cerró la sesión en sus otros dispositivos.
text-notice-sessions = Se cerró la sesión en sus otros dispositivos.
text-notice-application = La aplicación ya no tiene acceso a su cuenta.
text-notice-email = Revise su nueva dirección: el cambio se aplica cuando abra el enlace que le enviamos allí.
text-notice-unlinked = Ese inicio de sesión ya no está vinculado a su cuenta.
text-notice-linked = Ahora también puede iniciar sesión con esa cuenta.
text-notice-mfa-on = El inicio de sesión en dos pasos está activado.
text-notice-mfa-off = El inicio de sesión en dos pasos está desactivado.
text-notice-passkey = Su llave de acceso está añadida: puede iniciar sesión con ella.
text-notice-passkey-renamed = La llave de acceso tiene un nombre nuevo.
text-notice-passkey-removed = La llave de acceso se eliminó.
text-field-password = contraseña
text-field-email = correo
text-field-name = nombre
text-passwords-differ = las dos contraseñas no son iguales
text-passwords-differ-sentence = Las dos contraseñas no son iguales.
text-password-too-common = la contraseña es demasiado común: está en una lista de contraseñas que los atacantes prueban primero
text-password-pattern = la contraseña es un patrón simple (un carácter repetido, una serie como abcdef o 987654, o una fila del teclado)
text-password-has-name = la contraseña no debe contener el nombre de usuario ni el nombre del correo
text-password-too-long = la contraseña debe tener como máximo { $max } caracteres
text-password-too-short = la contraseña debe tener al menos { $min } caracteres (tiene { $length }); unas cuantas palabras sin relación forman una buena
text-reset-link-gone = Este enlace caducó o ya se usó. Pida uno nuevo: los enlaces sirven una sola vez y por tiempo limitado.
text-signup-link-gone = Este enlace caducó o ya se usó. Regístrese de nuevo para recibir otro: los enlaces sirven una sola vez y por tiempo limitado.
text-link-again = Abra la página de su cuenta, inicie sesión y vuelva a vincular la cuenta.
text-link-other-sign-in = Esta vinculación la inició otro inicio de sesión
text-sign-in-failed = No se pudo iniciar sesión
text-try-again-now = Inténtelo de nuevo.
text-no-linked-account = Todavía no hay ninguna cuenta vinculada a este inicio de sesión. Pida a su administrador que la vincule.
text-invalid-redirect = Redirección no válida
text-invalid-redirect-uri = La URI de redirección no es válida.
text-no-passwords = Aquí no se usan contraseñas
text-no-passwords-reset = Este servicio inicia su sesión sin contraseña, así que no hay ninguna que restablecer.
