# Keygate's end-user pages in Brazilian Portuguese (Português do Brasil); the messages of en.ftl.

language-name = Português (Brasil)
language-picker = Idioma

## Layout
secured-by = Protegido por { $product }
your-account = Sua conta
signed-in-as = Conectado como <strong>{ $user }</strong>
legal-policy = política de privacidade
legal-terms = termos de serviço
legal-both = { $policy } e { $terms } de { $app }
legal-one = { $link } de { $app }
unverified-app = Aplicativo não verificado.

## Login
login-title = Entrar em { $app }
login-heading = Entrar
login-lead = para continuar em <strong>{ $app }</strong>
login-link-email-taken = Já existe uma conta com o endereço de e-mail da sua conta { $provider }.
login-link-none = Nenhuma conta está vinculada à sua conta { $provider } ainda.
login-link-once = Entre uma vez com sua senha para vincular sua conta { $provider } <strong>{ $account }</strong>; da próxima vez, { $provider } basta.
login-unverified = Confirme seu endereço de e-mail primeiro: abra o link que enviamos para <strong>{ $email }</strong> e depois entre.
login-send-again = Enviar o link novamente
login-username = Nome de usuário ou e-mail
login-password = Senha
login-submit = Entrar
login-forgot = Esqueceu a senha?
login-create = Criar conta
login-or = ou
login-with = Entrar com { $provider }
login-no-way = Nenhuma forma de entrar está configurada. Fale com seu administrador.
login-invalid = O nome de usuário ou a senha estão incorretos.
login-throttled = Muitas tentativas sem sucesso. Aguarde alguns minutos e tente novamente.
login-disabled = Esta conta está desativada. Peça ao seu administrador para ativá-la.
passkey-name = Nome da nova chave de acesso (opcional)
passkey-name-example = Por exemplo: notebook do trabalho
passkey-sign-in = Entrar com uma chave de acesso

## Consent
consent-title = { $app } quer acesso
consent-described = Ele se descreve a partir de <strong>{ $host }</strong>; ninguém neste serviço o verificou.
consent-anyone = Qualquer pessoa poderia tê-lo registrado com este nome; ninguém neste serviço o verificou.
consent-sends-to = Ele enviará você para <strong>{ $host }</strong>.
consent-this-computer = Ele roda neste computador: permita apenas se você mesmo acabou de iniciá-lo.
consent-trust = Permita apenas se você confia nele.
consent-device = Um dispositivo está pedindo acesso com o código <strong>{ $code }</strong>. Permita apenas se você iniciou isso no seu próprio dispositivo e ele mostra este código.
consent-allows = Isso permitirá que { $app }:
consent-detail = { $actions } em { $what } { $locations } ({ $api })
consent-and = e
consent-signed-in-only = { $app } pede para saber que você está conectado.
consent-deny = Negar
consent-allow = Permitir

## Sign out
logout-title = Sair
logout-heading = Sair?
logout-app-asks = { $app } pede para desconectar você de { $product }.
logout-about-to = Você está prestes a sair de { $product }.
logout-signed-in-as = Você está conectado como <strong>{ $user }</strong>
logout-stay = Continuar conectado
logout-submit = Sair
back-to = Voltar para { $app }

## Errors and leaving
back-to-application = Voltar para o aplicativo
support-reference = Se entrar em contato com o suporte, informe esta referência: <code>{ $reference }</code>
developer-details = Detalhes para quem desenvolve o aplicativo
leaving-title = Saindo para { $host }
leaving-warning = Ele pede para enviar você para <strong>{ $host }</strong>. Qualquer pessoa poderia tê-lo registrado; ninguém neste serviço o verificou. Continue apenas se você esperava ir para lá.
continue-to = Continuar para { $host }

## Devices
device-title = Conectar um dispositivo
device-lead = Digite o código exibido no seu dispositivo.
device-code = Código
device-continue = Continuar
device-legal = Digite apenas um código que você vê em um dispositivo que você mesmo está configurando.

## Home
home-title = Serviço de login
home-text = Os aplicativos enviam você para cá para entrar. Não há nada a fazer nesta página: volte para o aplicativo que você estava usando.
home-console = Administradores: o console
