# Keygate's end-user pages in Brazilian Portuguese (Português do Brasil); the messages of en.ftl.

language-name = Português (Brasil)
language-picker = Idioma

## Layout
secured-by = Protegido por { $product }
support-link = Ajuda
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
text-passkey-sign-in = Entrar com uma chave de acesso

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
scope-openid = Confirmar quem você é
scope-profile = Ver seu nome e nome de usuário
scope-email = Ver seu endereço de e-mail
scope-address = Ver seu endereço postal
scope-phone = Ver seu número de telefone
scope-offline_access = Manter o acesso enquanto você estiver ausente, até que você o revogue
scope-other = Usar a permissão “{ $name }”

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

## Accounts: sign-up, password reset, address confirmation
check-email = Verifique seu e-mail
link-expired = Link expirado
password-hint = Pelo menos { $min } caracteres. Uma frase longa é a mais fácil de lembrar.
signup-title = Crie sua conta
signup-sent = Enviamos uma mensagem para <strong>{ $email }</strong>. Abra o link nela para concluir: só então sua conta é criada.
signup-nothing-arrived = Nada chegou depois de alguns minutos? Procure na pasta de spam ou cadastre-se novamente.
signup-confirm-title = Confirme sua conta
signup-confirm-lead = Este endereço é seu: crie a conta.
signup-confirm-submit = Criar minha conta
signup-created-title = Conta criada
signup-created = Sua conta <strong>{ $username }</strong> está pronta. Entre nos seus aplicativos com <strong>{ $email }</strong> e a senha que você escolheu.
signup-taken-title = Endereço já cadastrado
signup-taken = Uma conta com este endereço foi criada nesse meio-tempo. Entre com ela ou <a href="{ $forgot }">escolha uma nova senha</a> se você esqueceu a sua.
signup-for-domains = Para endereços em { $domains }.
signup-one-account = Uma conta para todos os aplicativos que entram com { $product }.
signup-email = E-mail
signup-invited-at = O endereço em que você foi convidado.
signup-name = Nome
signup-optional = (opcional)
signup-password = Senha
signup-password-again = Repita a senha
signup-submit = Criar conta
signup-have-account = Já tem uma conta? <a href="{ $login }">Entrar</a>
forgot-title = Redefina sua senha
forgot-sent = Se alguma conta usa esse endereço ou nome, uma mensagem com um link para escolher uma nova senha está a caminho. O link funciona uma vez, por tempo limitado.
forgot-nothing-arrived = Nada chegou depois de alguns minutos? Procure na pasta de spam ou peça novamente.
forgot-lead = Digite o endereço de e-mail ou o nome de usuário da sua conta. Enviaremos um link para escolher uma nova senha.
forgot-address = E-mail ou nome de usuário
forgot-submit = Enviar o link
forgot-back = Voltar para entrar
reset-done-title = Senha alterada
reset-done = A senha de <strong>{ $username }</strong> foi alterada. Todos os dispositivos conectados foram desconectados; entre novamente com a nova senha.
reset-return = Volte para o aplicativo que você estava usando e entre.
reset-ask-again = Pedir um novo link
reset-title = Escolha uma nova senha
reset-for = para <strong>{ $username }</strong>
reset-password = Nova senha
reset-password-again = Repita a nova senha
reset-submit = Alterar senha
reset-signs-out = Alterá-la desconecta você de todos os lugares.
verify-done-title = Endereço confirmado
verify-done = <strong>{ $email }</strong> está confirmado. Volte para o seu aplicativo e entre.
verify-gone = Este link expirou ou já foi usado. Entre para receber um novo: os links funcionam uma vez, por tempo limitado.
verify-resent = Um novo link está a caminho de <strong>{ $email }</strong>. Abra-o e depois entre.
verify-title = Confirme seu endereço
verify-lead = Este endereço pertence à sua conta: confirme-o.
verify-submit = Confirmar meu endereço

## Two-step sign-in
mfa-title = Login em duas etapas
mfa-codes-title = Seus códigos de recuperação
mfa-codes-lead = O login em duas etapas está ativado. Guarde estes códigos em um lugar seguro, longe do seu celular: cada um funciona uma vez, quando você não puder usar seu aplicativo autenticador. Eles são mostrados só agora.
mfa-codes-saved = Já os guardei, continuar
mfa-used-title = Código de recuperação usado
mfa-used = Esse código foi usado. { $left ->
    [one] Resta <strong>{ $left }</strong> código de recuperação
   *[other] Restam <strong>{ $left }</strong> códigos de recuperação
}.
mfa-used-few = Crie novos na página da sua conta.
mfa-continue = Continuar
mfa-enrol-title = Adicionar um aplicativo autenticador
mfa-enrol-lead = Entrar aqui exige uma segunda etapa. Escaneie este código com um aplicativo autenticador (como Google Authenticator, Microsoft Authenticator, 1Password ou Aegis) e digite o código de 6 dígitos que ele mostrar.
mfa-qr = Código QR da chave
mfa-key = Ou digite esta chave: <code>{ $key }</code>
mfa-app-code = Código do aplicativo
mfa-turn-on = Ativar o login em duas etapas
mfa-lead-both = Use uma das suas chaves de acesso ou digite o código de 6 dígitos do seu aplicativo autenticador ou um dos seus códigos de recuperação.
mfa-lead-code = Digite o código de 6 dígitos do seu aplicativo autenticador ou um dos seus códigos de recuperação.
mfa-lead-passkey = Confirme que é você com uma das suas chaves de acesso.
mfa-code = Código

## Account page
account-title = Sua conta
account-profile = Perfil
account-email-line = E-mail: <strong>{ $email }</strong>
account-confirmed = (confirmado)
account-not-confirmed = (ainda não confirmado)
account-name = Nome
account-given-name = Nome próprio
account-family-name = Sobrenome
account-save-profile = Salvar perfil
account-email-title = Endereço de e-mail
account-new-address = Novo endereço
account-new-address-hint = Enviamos um link para lá; seu endereço muda quando você o abre, e o antigo é avisado.
account-current-password = Senha atual
account-change-address = Alterar endereço
account-password-title = Senha
account-new-password = Nova senha
account-new-password-hint = Pelo menos { $min } caracteres. Alterá-la desconecta seus outros dispositivos.
account-new-password-again = Repita a nova senha
account-change-password = Alterar senha
account-mfa-on = Um aplicativo autenticador pede um código depois da sua senha (adicionado em { $added } UTC). Códigos de recuperação restantes: <strong>{ $left }</strong>.
account-mfa-on-used = Um aplicativo autenticador pede um código depois da sua senha (adicionado em { $added } UTC, usado pela última vez em { $used } UTC). Códigos de recuperação restantes: <strong>{ $left }</strong>.
account-new-codes = Criar novos códigos de recuperação
account-app-code = Um código do aplicativo
account-mfa-off = Desativar o login em duas etapas
account-mfa-offer = Adicione um aplicativo autenticador: ao entrar, também será pedido o código que ele mostra.
account-passkeys = Chaves de acesso
account-passkeys-about = Uma chave de acesso faz seu login com sua digital, rosto, bloqueio de tela ou chave de segurança em vez de uma senha, e só funciona neste site, por isso não pode ser roubada por phishing.
account-passkey-synced = sincronizada entre seus dispositivos
account-passkey-one-device = em um dispositivo
account-passkey-added = adicionada em { $added } UTC
account-passkey-used = usada pela última vez em { $used } UTC
account-passkey-unused = ainda não usada
account-passkey-new-name = Novo nome para { $name }
account-rename = Renomear
account-passkey-remove = Remover a chave de acesso { $name }
account-remove = Remover
account-no-passkey = Você ainda não tem nenhuma chave de acesso.
account-passkey-script = Adicionar uma chave de acesso requer JavaScript.
account-devices = Dispositivos
account-signed-in-since = Conectado desde { $since } UTC
account-this-device = (este dispositivo)
account-no-other-devices = Nenhum outro login.
account-sign-out-elsewhere = Sair de todos os outros lugares
account-applications = Aplicativos
account-app-may = <strong>{ $app }</strong> pode:
account-remove-access = Remover acesso
account-no-applications = Nenhum aplicativo tem acesso à sua conta.
account-linked = Logins vinculados
account-unlink = Desvincular
account-nothing-linked = Nenhuma outra conta está vinculada a esta.
account-link = Vincular uma conta { $provider }
account-delete-title = Excluir sua conta
account-delete-hint = Isso não pode ser desfeito: todos os aplicativos perdem o acesso e sua conta deixa de existir.
account-delete = Excluir minha conta
account-sign-out = Sair
account-codes-lead = Guarde-os em um lugar seguro, longe do seu celular. Cada um funciona uma vez, quando você não puder usar seu aplicativo autenticador. Eles são mostrados só agora.
account-codes-saved = Já os guardei
account-totp-lead = Escaneie este código com um aplicativo autenticador (como Google Authenticator, Microsoft Authenticator, 1Password ou Aegis) e digite o código de 6 dígitos que ele mostrar.
account-cancel = Cancelar

## Texts made in code, found by their English words (ui::i18n::Catalogs::translate)
text-cannot-complete = Esta solicitação não pode ser concluída
text-not-registered = O aplicativo que enviou você para cá não está registrado.
text-unregistered-return = O aplicativo pediu para voltar a um endereço que ele não registrou.
text-form-incomplete = O formulário está incompleto. Volte para o aplicativo e tente novamente.
text-form-unverified = Não foi possível verificar o formulário. Volte e tente novamente.
text-cannot-continue = Esta solicitação não pode continuar.
text-went-wrong = Algo deu errado
text-try-again = Tente novamente.
text-could-not-complete = O Keygate não conseguiu concluir a solicitação. Tente novamente.
text-form-expired = Este formulário expirou
text-reload = Recarregue a página e tente novamente.
text-not-found = Página não encontrada
text-nothing-here = Não há nada neste endereço. Se um aplicativo enviou você para cá, volte para ele e tente novamente.
text-cannot-sign-in = Você não pode entrar
text-still-signed-in = Você continua conectado
text-nothing-changed = Nada foi alterado.
text-signed-out = Você saiu
text-close-window = Você pode fechar esta janela.
text-use-passkey = Usar uma chave de acesso
text-add-passkey = Adicionar uma chave de acesso
text-device-wrong-code = Esse código não é válido ou expirou. Confira o código no seu dispositivo.
text-device-throttled = Muitos códigos errados. Aguarde alguns minutos e tente novamente.

## E-mails.
mail-hello = Olá, { $name },
mail-hello-anyone = Olá,
mail-change-email-subject = Confirme seu novo endereço para { $product }
mail-change-email-body = Para usar este endereço ({ $new_email }) na sua conta { $product } { $username }, abra este link em até { $hours ->
    [one] uma hora
   *[other] { $hours } horas
  }:
mail-change-email-button = Usar este endereço
mail-change-email-after = Até lá, sua conta mantém o endereço atual. Se você não pediu isso, ignore esta mensagem.
mail-email-changed-subject = O endereço da sua conta { $product } foi alterado
mail-email-changed-body = Sua conta { $product } { $username } agora usa o endereço { $new_email } em vez deste.
mail-email-changed-warning = Se não foi você, redefina sua senha imediatamente e avise seu administrador:
mail-reset-now-button = Redefinir sua senha
mail-invite-subject = Você foi convidado para o { $product }
mail-invite-body = Você foi convidado a criar uma conta { $product } para { $username }. Abra este link em até { $days ->
    [one] um dia
   *[other] { $days } dias
  } para escolher sua senha:
mail-invite-button = Criar minha conta
mail-invite-after = Se você não esperava isso, ignore esta mensagem.
mail-password-changed-subject = Sua senha do { $product } foi alterada
mail-password-changed-body = A senha da sua conta { $product } foi alterada, e todos os dispositivos conectados a ela foram desconectados.
mail-password-changed-warning = Se não foi você, redefina sua senha imediatamente:
mail-reset-subject = Redefina sua senha do { $product }
mail-reset-body = Alguém pediu para redefinir a senha da sua conta { $product }. Para escolher uma nova senha, abra este link em até { $minutes ->
    [one] um minuto
   *[other] { $minutes } minutos
  }:
mail-reset-button = Escolher uma nova senha
mail-reset-after = Se não foi você, ignore esta mensagem: sua senha continua a mesma.
mail-signup-subject = Confirme seu endereço de e-mail para o { $product }
mail-signup-body = Para terminar de criar sua conta { $product }, confirme que este endereço é seu abrindo este link em até { $hours ->
    [one] uma hora
   *[other] { $hours } horas
  }:
mail-confirm-button = Confirmar meu endereço
mail-signup-after = Se você não se cadastrou, ignore esta mensagem: nenhuma conta é criada sem ela.
mail-signup-exists-subject = Alguém tentou se cadastrar no { $product } com seu endereço
mail-signup-exists-body = Alguém tentou criar uma conta { $product } com este endereço de e-mail, que já tem uma. Nada foi alterado.
mail-signup-exists-forgot = Se foi você, entre como de costume, ou escolha uma nova senha se a esqueceu:
mail-choose-password-button = Escolher uma nova senha
mail-signup-exists-after = Se não foi você, pode ignorar esta mensagem.
mail-test-subject = Mensagem de teste do { $product }
mail-test-body = Esta é uma mensagem de teste do { $product } em { $issuer }.
mail-test-after = Se você consegue lê-la, o { $product } pode enviar e-mails: redefinições de senha, verificações de endereço e convites vão chegar.
mail-verify-subject = Confirme seu endereço de e-mail para o { $product }
mail-verify-body = Confirme que este endereço pertence à sua conta { $product } ({ $username }) abrindo este link em até { $hours ->
    [one] uma hora
   *[other] { $hours } horas
  }:
mail-verify-after = Se você não tem uma conta, ignore esta mensagem.

## Texts made in code: account notices and form problems (looked up by the English words).
text-notice-profile = Seu perfil foi salvo.
text-notice-password = Sua senha foi alterada. Seus outros dispositivos foram desconectados.
text-notice-sessions = Seus outros dispositivos foram desconectados.
text-notice-application = O aplicativo não tem mais acesso à sua conta.
text-notice-email = Verifique seu novo endereço: a alteração vale quando você abrir o link que enviamos para lá.
text-notice-unlinked = Essa forma de entrar não está mais vinculada à sua conta.
text-notice-linked = Agora você também pode entrar com essa conta.
text-notice-mfa-on = O login em duas etapas está ativado.
text-notice-mfa-off = O login em duas etapas está desativado.
text-notice-passkey = Sua chave de acesso foi adicionada: você pode entrar com ela.
text-notice-passkey-renamed = A chave de acesso foi renomeada.
text-notice-passkey-removed = A chave de acesso foi removida.
text-field-password = senha
text-field-email = e-mail
text-field-name = nome
text-passwords-differ = as duas senhas não são iguais
text-passwords-differ-sentence = As duas senhas não são iguais.
text-password-too-common = a senha é comum demais: está em uma lista de senhas que os atacantes tentam primeiro
text-password-pattern = a senha é um padrão simples (um caractere repetido, uma sequência como abcdef ou 987654, ou uma fileira do teclado)
text-password-has-name = a senha não pode conter o nome de usuário nem o nome do e-mail
text-password-too-long = a senha deve ter no máximo { $max } caracteres
text-password-too-short = a senha deve ter pelo menos { $min } caracteres (ela tem { $length }); algumas palavras sem relação formam uma boa senha
text-reset-link-gone = Este link expirou ou já foi usado. Peça um novo: os links funcionam uma vez, por tempo limitado.
text-signup-link-gone = Este link expirou ou já foi usado. Cadastre-se de novo para receber outro: os links funcionam uma vez, por tempo limitado.
text-link-again = Abra a página da sua conta, entre e vincule a conta de novo.
text-link-other-sign-in = Esta vinculação foi iniciada por outro login
text-sign-in-failed = Não foi possível entrar
text-try-again-now = Tente de novo.
text-no-linked-account = Nenhuma conta está vinculada a este login ainda. Peça ao seu administrador para vinculá-la.
text-invalid-redirect = Redirecionamento inválido
text-invalid-redirect-uri = A URI de redirecionamento é inválida.
text-no-passwords = Senhas não são usadas aqui
text-no-passwords-reset = Este serviço faz seu login sem senha, então não há nenhuma para redefinir.
