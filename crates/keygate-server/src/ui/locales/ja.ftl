# Keygate's end-user pages in Japanese (日本語); the messages of en.ftl.

language-name = 日本語
language-picker = 言語

## Layout
secured-by = { $product } により保護されています
your-account = アカウント
signed-in-as = <strong>{ $user }</strong> としてサインイン中
legal-policy = プライバシーポリシー
legal-terms = 利用規約
legal-both = { $app } の{ $policy }と{ $terms }
legal-one = { $app } の{ $link }
unverified-app = 未確認のアプリケーションです。

## Login
login-title = { $app } にサインイン
login-heading = サインイン
login-lead = <strong>{ $app }</strong> に進むには
login-link-email-taken = { $provider } アカウントのメールアドレスを持つアカウントがすでにあります。
login-link-none = { $provider } アカウントにリンクされたアカウントはまだありません。
login-link-once = 一度パスワードでサインインすると、{ $provider } アカウント <strong>{ $account }</strong> がリンクされます。次回からは { $provider } だけで済みます。
login-unverified = まずメールアドレスを確認してください。<strong>{ $email }</strong> に送ったリンクを開いてから、サインインしてください。
login-send-again = リンクを再送信
login-username = ユーザー名またはメールアドレス
login-password = パスワード
login-submit = サインイン
login-forgot = パスワードをお忘れですか？
login-create = アカウントを作成
login-or = または
login-with = { $provider } でサインイン
login-no-way = サインイン方法が設定されていません。管理者にお問い合わせください。
login-invalid = ユーザー名またはパスワードが正しくありません。
login-throttled = 失敗した試行が多すぎます。数分待ってからもう一度お試しください。
login-disabled = このアカウントは無効になっています。有効にするよう管理者に依頼してください。
passkey-name = 新しいパスキーの名前（任意）
passkey-name-example = 例：仕事用ノートパソコン
passkey-sign-in = パスキーでサインイン

## Consent
consent-title = { $app } がアクセスを求めています
consent-described = <strong>{ $host }</strong> から自らを説明しています。このサービスでは誰も確認していません。
consent-anyone = 誰でもこの名前で登録できました。このサービスでは誰も確認していません。
consent-sends-to = <strong>{ $host }</strong> に移動します。
consent-this-computer = このコンピューター上で動作しています。たった今ご自身で起動した場合にのみ許可してください。
consent-trust = 信頼できる場合にのみ許可してください。
consent-device = デバイスがコード <strong>{ $code }</strong> でアクセスを求めています。ご自身のデバイスで開始し、このコードが表示されている場合にのみ許可してください。
consent-allows = { $app } に次のことを許可します：
consent-detail = { $what } { $locations } で{ $actions }（{ $api }）
consent-and = と
consent-signed-in-only = { $app } はあなたがサインインしていることを確認したいと求めています。
consent-deny = 拒否
consent-allow = 許可

## Sign out
logout-title = サインアウト
logout-heading = サインアウトしますか？
logout-app-asks = { $app } が { $product } からのサインアウトを求めています。
logout-about-to = { $product } からサインアウトしようとしています。
logout-signed-in-as = <strong>{ $user }</strong> としてサインインしています
logout-stay = サインインしたままにする
logout-submit = サインアウト
back-to = { $app } に戻る

## Errors and leaving
back-to-application = アプリケーションに戻る
support-reference = サポートに連絡する際は、この参照番号をお伝えください：<code>{ $reference }</code>
developer-details = アプリケーション開発者向けの詳細
leaving-title = { $host } に移動します
leaving-warning = <strong>{ $host }</strong> への移動を求めています。誰でも登録できたアプリケーションで、このサービスでは誰も確認していません。移動する予定だった場合にのみ続行してください。
continue-to = { $host } に進む

## Devices
device-title = デバイスを接続
device-lead = デバイスに表示されたコードを入力してください。
device-code = コード
device-continue = 続行
device-legal = ご自身で設定しているデバイスに表示されたコードのみを入力してください。

## Home
home-title = サインインサービス
home-text = アプリケーションはサインインのためにあなたをここへ送ります。このページ自体で行うことはありません。使用していたアプリケーションに戻ってください。
home-console = 管理者の方：コンソール
