# Keygate's end-user pages in Spanish (Español); the messages of en.ftl.

language-name = Español
language-picker = Idioma

## Layout
secured-by = Protegido por { $product }
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
passkey-sign-in = Iniciar sesión con una llave de acceso

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
