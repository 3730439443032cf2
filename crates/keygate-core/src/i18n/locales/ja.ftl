# Keygate's end-user pages in Japanese (日本語); the messages of en.ftl.

language-name = 日本語
language-picker = 言語

## Layout
secured-by = { $product } により保護されています
support-link = ヘルプ
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
scope-openid = 本人確認
scope-profile = 名前とユーザー名の表示
scope-email = メールアドレスの表示
scope-address = 住所の表示
scope-phone = 電話番号の表示
scope-offline_access = 取り消すまで、不在時もアクセスを維持
scope-other = 権限「{ $name }」の使用

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

## Accounts: sign-up, password reset, address confirmation
check-email = メールを確認してください
link-expired = リンクの有効期限切れ
password-hint = { $min } 文字以上。長いフレーズが最も覚えやすいです。
signup-title = アカウントを作成
signup-sent = <strong>{ $email }</strong> にメッセージを送りました。メール内のリンクを開いて完了してください。アカウントはそのときに作成されます。
signup-nothing-arrived = 数分たっても届きませんか？迷惑メールフォルダーを確認するか、もう一度登録してください。
signup-confirm-title = アカウントを確認
signup-confirm-lead = このアドレスはあなたのものです。アカウントを作成してください。
signup-confirm-submit = アカウントを作成する
signup-created-title = アカウントを作成しました
signup-created = アカウント <strong>{ $username }</strong> の準備ができました。<strong>{ $email }</strong> と選んだパスワードでアプリケーションにサインインしてください。
signup-taken-title = 登録済みのアドレスです
signup-taken = その間にこのアドレスのアカウントが作成されました。そのアカウントでサインインするか、パスワードを忘れた場合は<a href="{ $forgot }">新しいパスワードを設定</a>してください。
signup-for-domains = { $domains } のアドレス用です。
signup-one-account = { $product } でサインインするすべてのアプリケーションに 1 つのアカウント。
signup-email = メールアドレス
signup-invited-at = 招待されたアドレスです。
signup-name = 名前
signup-optional = （任意）
signup-password = パスワード
signup-password-again = パスワード（確認）
signup-submit = アカウントを作成
signup-have-account = すでにアカウントをお持ちですか？<a href="{ $login }">サインイン</a>
forgot-title = パスワードをリセット
forgot-sent = そのアドレスまたは名前を使うアカウントがあれば、新しいパスワードを設定するリンクを記載したメッセージが送信されます。リンクは一度だけ、限られた時間のみ有効です。
forgot-nothing-arrived = 数分たっても届きませんか？迷惑メールフォルダーを確認するか、もう一度依頼してください。
forgot-lead = アカウントのメールアドレスまたはユーザー名を入力してください。新しいパスワードを設定するリンクを送ります。
forgot-address = メールアドレスまたはユーザー名
forgot-submit = リンクを送信
forgot-back = サインインに戻る
reset-done-title = パスワードを変更しました
reset-done = <strong>{ $username }</strong> のパスワードを変更しました。サインインしていたすべてのデバイスからサインアウトしました。新しいパスワードで再度サインインしてください。
reset-return = 使用していたアプリケーションに戻り、サインインしてください。
reset-ask-again = 新しいリンクを依頼
reset-title = 新しいパスワードを設定
reset-for = <strong>{ $username }</strong> 用
reset-password = 新しいパスワード
reset-password-again = 新しいパスワード（確認）
reset-submit = パスワードを変更
reset-signs-out = 変更すると、すべての場所からサインアウトします。
verify-done-title = アドレスを確認しました
verify-done = <strong>{ $email }</strong> を確認しました。アプリケーションに戻ってサインインしてください。
verify-gone = このリンクは有効期限が切れたか、すでに使用されています。サインインすると新しいリンクを受け取れます。リンクは一度だけ、限られた時間のみ有効です。
verify-resent = 新しいリンクを <strong>{ $email }</strong> に送信しました。開いてからサインインしてください。
verify-title = アドレスを確認
verify-lead = このアドレスはあなたのアカウントのものです。確認してください。
verify-submit = アドレスを確認する

## Two-step sign-in
mfa-title = 2 段階サインイン
mfa-codes-title = リカバリーコード
mfa-codes-lead = 2 段階サインインがオンになりました。これらのコードは電話とは別の安全な場所に保管してください。認証アプリを使えないときに、各コードを一度だけ使えます。表示されるのは今回だけです。
mfa-codes-saved = 保存しました。続行
mfa-used-title = リカバリーコードを使用しました
mfa-used = そのコードは使用済みです。リカバリーコードは残り <strong>{ $left }</strong> 個です。
mfa-used-few = アカウントページで新しいコードを作成してください。
mfa-continue = 続行
mfa-enrol-title = 認証アプリを追加
mfa-enrol-lead = ここでのサインインには 2 つ目のステップが必要です。認証アプリ（Google Authenticator、Microsoft Authenticator、1Password、Aegis など）でこのコードをスキャンし、表示された 6 桁のコードを入力してください。
mfa-qr = キーの QR コード
mfa-key = または次のキーを入力してください：<code>{ $key }</code>
mfa-app-code = アプリのコード
mfa-turn-on = 2 段階サインインをオンにする
mfa-lead-both = パスキーを使うか、認証アプリの 6 桁のコードまたはリカバリーコードを入力してください。
mfa-lead-code = 認証アプリの 6 桁のコード、またはリカバリーコードを入力してください。
mfa-lead-passkey = パスキーで本人であることを確認してください。
mfa-code = コード

## Account page
account-title = アカウント
account-profile = プロフィール
account-email-line = メールアドレス：<strong>{ $email }</strong>
account-confirmed = （確認済み）
account-not-confirmed = （未確認）
account-name = 名前
account-given-name = 名
account-family-name = 姓
account-save-profile = プロフィールを保存
account-email-title = メールアドレス
account-new-address = 新しいアドレス
account-new-address-hint = そのアドレスにリンクを送ります。リンクを開くとアドレスが変更され、古いアドレスにも通知されます。
account-current-password = 現在のパスワード
account-change-address = アドレスを変更
account-password-title = パスワード
account-new-password = 新しいパスワード
account-new-password-hint = { $min } 文字以上。変更すると、ほかのデバイスからサインアウトします。
account-new-password-again = 新しいパスワード（確認）
account-change-password = パスワードを変更
account-mfa-on = パスワードの後に認証アプリのコードが求められます（{ $added } UTC に追加）。残りのリカバリーコード：<strong>{ $left }</strong>。
account-mfa-on-used = パスワードの後に認証アプリのコードが求められます（{ $added } UTC に追加、最終使用 { $used } UTC）。残りのリカバリーコード：<strong>{ $left }</strong>。
account-new-codes = 新しいリカバリーコードを作成
account-app-code = アプリのコード
account-mfa-off = 2 段階サインインをオフにする
account-mfa-offer = 認証アプリを追加すると、サインイン時にアプリに表示されるコードも求められます。
account-passkeys = パスキー
account-passkeys-about = パスキーを使うと、パスワードの代わりに指紋、顔、画面ロック、セキュリティキーでサインインできます。このサイトでしか機能しないため、フィッシングされません。
account-passkey-synced = デバイス間で同期
account-passkey-one-device = 1 台のデバイス
account-passkey-added = { $added } UTC に追加
account-passkey-used = 最終使用 { $used } UTC
account-passkey-unused = 未使用
account-passkey-new-name = { $name } の新しい名前
account-rename = 名前を変更
account-passkey-remove = パスキー { $name } を削除
account-remove = 削除
account-no-passkey = パスキーはまだありません。
account-passkey-script = パスキーの追加には JavaScript が必要です。
account-devices = デバイス
account-signed-in-since = { $since } UTC からサインイン中
account-this-device = （このデバイス）
account-no-other-devices = ほかのサインインはありません。
account-sign-out-elsewhere = ほかのすべての場所からサインアウト
account-applications = アプリケーション
account-app-may = <strong>{ $app }</strong> に許可されていること：
account-remove-access = アクセスを削除
account-no-applications = アカウントにアクセスできるアプリケーションはありません。
account-linked = リンクされたサインイン
account-unlink = リンクを解除
account-nothing-linked = このアカウントにリンクされたほかのアカウントはありません。
account-link = { $provider } アカウントをリンク
account-delete-title = アカウントを削除
account-delete-hint = 元に戻すことはできません。すべてのアプリケーションがアクセスを失い、アカウントは削除されます。
account-delete = アカウントを削除する
account-sign-out = サインアウト
account-codes-lead = 電話とは別の安全な場所に保管してください。認証アプリを使えないときに、各コードを一度だけ使えます。表示されるのは今回だけです。
account-codes-saved = 保存しました
account-totp-lead = 認証アプリ（Google Authenticator、Microsoft Authenticator、1Password、Aegis など）でこのコードをスキャンし、表示された 6 桁のコードを入力してください。
account-cancel = キャンセル

## Texts made in code, found by their English words (ui::i18n::Catalogs::translate)
text-cannot-complete = このリクエストを完了できません
text-not-registered = ここへ移動させたアプリケーションは登録されていません。
text-unregistered-return = アプリケーションが、登録されていないアドレスへの戻りを求めました。
text-form-incomplete = フォームが不完全です。アプリケーションに戻って、もう一度お試しください。
text-form-unverified = フォームを確認できませんでした。戻って、もう一度お試しください。
text-cannot-continue = このリクエストは続行できません。
text-went-wrong = 問題が発生しました
text-try-again = もう一度お試しください。
text-could-not-complete = Keygate はリクエストを完了できませんでした。もう一度お試しください。
text-form-expired = このフォームは期限切れです
text-reload = ページを再読み込みして、もう一度お試しください。
text-not-found = ページが見つかりません
text-nothing-here = このアドレスには何もありません。アプリケーションからここへ移動した場合は、そのアプリケーションに戻って、もう一度お試しください。
text-cannot-sign-in = サインインできません
text-still-signed-in = サインインしたままです
text-nothing-changed = 何も変更されていません。
text-signed-out = サインアウトしました
text-close-window = このウィンドウを閉じてかまいません。
text-use-passkey = パスキーを使用
text-add-passkey = パスキーを追加
text-device-wrong-code = そのコードは無効か、有効期限が切れています。デバイスのコードを確認してください。
text-device-throttled = 間違ったコードが多すぎます。数分待ってからもう一度お試しください。
