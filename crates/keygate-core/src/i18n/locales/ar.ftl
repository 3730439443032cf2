# Keygate's end-user pages in Arabic (العربية), written right to left; the messages of en.ftl.

language-name = العربية
language-picker = اللغة

## Layout
secured-by = محمي بواسطة { $product }
support-link = المساعدة
your-account = حسابك
signed-in-as = سجّلت الدخول باسم <strong>{ $user }</strong>
legal-policy = سياسة الخصوصية
legal-terms = شروط الخدمة
legal-both = { $policy } و{ $terms } الخاصة بـ { $app }
legal-one = { $link } الخاصة بـ { $app }
unverified-app = تطبيق لم يتم التحقق منه.

## Login
login-title = تسجيل الدخول إلى { $app }
login-heading = تسجيل الدخول
login-lead = للمتابعة إلى <strong>{ $app }</strong>
login-link-email-taken = يوجد حساب بالفعل بعنوان البريد الإلكتروني لحسابك على { $provider }.
login-link-none = لا يوجد حساب مرتبط بحسابك على { $provider } حتى الآن.
login-link-once = سجّل الدخول بكلمة المرور مرة واحدة لربط حسابك على { $provider } <strong>{ $account }</strong> به؛ وفي المرة القادمة يكفي { $provider }.
login-unverified = أكّد عنوان بريدك الإلكتروني أولًا: افتح الرابط الذي أرسلناه إلى <strong>{ $email }</strong>، ثم سجّل الدخول.
login-send-again = أرسل الرابط مرة أخرى
login-username = اسم المستخدم أو البريد الإلكتروني
login-password = كلمة المرور
login-submit = تسجيل الدخول
login-forgot = هل نسيت كلمة المرور؟
login-create = إنشاء حساب
login-or = أو
login-with = تسجيل الدخول باستخدام { $provider }
login-no-way = لم يتم إعداد أي طريقة لتسجيل الدخول. اسأل المسؤول.
login-invalid = اسم المستخدم أو كلمة المرور غير صحيحة.
login-throttled = محاولات فاشلة كثيرة جدًا. يُرجى الانتظار بضع دقائق ثم المحاولة مرة أخرى.
login-disabled = هذا الحساب معطّل. اطلب من المسؤول تفعيله.
passkey-name = اسم مفتاح المرور الجديد (اختياري)
passkey-name-example = مثال: حاسوب العمل
text-passkey-sign-in = تسجيل الدخول باستخدام مفتاح مرور

## Consent
consent-title = يطلب { $app } الوصول
consent-described = يصف نفسه من <strong>{ $host }</strong>؛ لم يتحقق منه أحد في هذه الخدمة.
consent-anyone = كان بإمكان أي شخص تسجيله بهذا الاسم؛ لم يتحقق منه أحد في هذه الخدمة.
consent-sends-to = سينقلك إلى <strong>{ $host }</strong>.
consent-this-computer = يعمل على هذا الحاسوب: اسمح فقط إذا كنت قد شغّلته بنفسك للتو.
consent-trust = اسمح فقط إذا كنت تثق به.
consent-device = يطلب جهاز الوصول بالرمز <strong>{ $code }</strong>. اسمح فقط إذا بدأت ذلك على جهازك الخاص وكان يعرض هذا الرمز.
consent-allows = سيسمح هذا لـ { $app } بما يلي:
consent-detail = { $actions } في { $what } { $locations } ({ $api })
consent-and = و
consent-signed-in-only = يطلب { $app } معرفة أنك سجّلت الدخول.
consent-deny = رفض
consent-allow = سماح
scope-openid = تأكيد هويتك
scope-profile = رؤية اسمك واسم المستخدم
scope-email = رؤية عنوان بريدك الإلكتروني
scope-address = رؤية عنوانك البريدي
scope-phone = رؤية رقم هاتفك
scope-offline_access = الاحتفاظ بالوصول أثناء غيابك، حتى تلغيه
scope-other = استخدام الإذن «{ $name }»

## Sign out
logout-title = تسجيل الخروج
logout-heading = تسجيل الخروج؟
logout-app-asks = يطلب { $app } تسجيل خروجك من { $product }.
logout-about-to = أنت على وشك تسجيل الخروج من { $product }.
logout-signed-in-as = أنت مسجّل الدخول باسم <strong>{ $user }</strong>
logout-stay = البقاء مسجّلًا
logout-submit = تسجيل الخروج
back-to = العودة إلى { $app }

## Errors and leaving
back-to-application = العودة إلى التطبيق
support-reference = إذا تواصلت مع الدعم، فاذكر هذا المرجع: <code>{ $reference }</code>
developer-details = تفاصيل لمطوّر التطبيق
leaving-title = الانتقال إلى { $host }
leaving-warning = يطلب نقلك إلى <strong>{ $host }</strong>. كان بإمكان أي شخص تسجيله؛ لم يتحقق منه أحد في هذه الخدمة. تابع فقط إذا كنت تتوقع الذهاب إلى هناك.
continue-to = المتابعة إلى { $host }

## Devices
device-title = ربط جهاز
device-lead = أدخل الرمز المعروض على جهازك.
device-code = الرمز
device-continue = متابعة
device-legal = أدخل فقط رمزًا تراه على جهاز تقوم بإعداده بنفسك.

## Home
home-title = خدمة تسجيل الدخول
home-text = ترسلك التطبيقات إلى هنا لتسجيل الدخول. لا يوجد ما تفعله في هذه الصفحة نفسها: عُد إلى التطبيق الذي كنت تستخدمه.
home-console = للمسؤولين: وحدة التحكم

## Accounts: sign-up, password reset, address confirmation
check-email = تحقّق من بريدك الإلكتروني
link-expired = انتهت صلاحية الرابط
password-hint = { $min ->
    [few] { $min } أحرف على الأقل. العبارة الطويلة هي الأسهل في التذكّر.
   *[other] { $min } حرفًا على الأقل. العبارة الطويلة هي الأسهل في التذكّر.
}
signup-title = أنشئ حسابك
signup-sent = أرسلنا رسالة إلى <strong>{ $email }</strong>. افتح الرابط الموجود فيها لإكمال العملية: لا يُنشأ حسابك إلا عندها.
signup-nothing-arrived = لم يصل شيء بعد بضع دقائق؟ ابحث في مجلد البريد العشوائي، أو سجّل مرة أخرى.
signup-confirm-title = أكّد حسابك
signup-confirm-lead = هذا العنوان لك: أنشئ الحساب.
signup-confirm-submit = إنشاء حسابي
signup-created-title = تم إنشاء الحساب
signup-created = حسابك <strong>{ $username }</strong> جاهز. سجّل الدخول إلى تطبيقاتك باستخدام <strong>{ $email }</strong> وكلمة المرور التي اخترتها.
signup-taken-title = العنوان مسجّل بالفعل
signup-taken = أُنشئ حساب بهذا العنوان في هذه الأثناء. سجّل الدخول به، أو <a href="{ $forgot }">اختر كلمة مرور جديدة</a> إذا نسيت كلمتك.
signup-for-domains = للعناوين في { $domains }.
signup-one-account = حساب واحد لكل تطبيق يسجّل الدخول باستخدام { $product }.
signup-email = البريد الإلكتروني
signup-invited-at = العنوان الذي دُعيت عليه.
signup-name = الاسم
signup-optional = (اختياري)
signup-password = كلمة المرور
signup-password-again = أعد كتابة كلمة المرور
signup-submit = إنشاء حساب
signup-have-account = لديك حساب بالفعل؟ <a href="{ $login }">سجّل الدخول</a>
forgot-title = إعادة تعيين كلمة المرور
forgot-sent = إذا كان هناك حساب يستخدم هذا العنوان أو الاسم، فإن رسالة تحتوي على رابط لاختيار كلمة مرور جديدة في طريقها إليك. يعمل الرابط مرة واحدة، ولوقت محدود.
forgot-nothing-arrived = لم يصل شيء بعد بضع دقائق؟ ابحث في مجلد البريد العشوائي، أو اطلب مرة أخرى.
forgot-lead = أدخل عنوان البريد الإلكتروني أو اسم المستخدم لحسابك. سنرسل رابطًا لاختيار كلمة مرور جديدة.
forgot-address = البريد الإلكتروني أو اسم المستخدم
forgot-submit = أرسل الرابط
forgot-back = العودة إلى تسجيل الدخول
reset-done-title = تم تغيير كلمة المرور
reset-done = تم تغيير كلمة مرور <strong>{ $username }</strong>. تم تسجيل الخروج من كل جهاز كان مسجّل الدخول؛ سجّل الدخول مرة أخرى بكلمة المرور الجديدة.
reset-return = عُد إلى التطبيق الذي كنت تستخدمه وسجّل الدخول.
reset-ask-again = اطلب رابطًا جديدًا
reset-title = اختر كلمة مرور جديدة
reset-for = لـ <strong>{ $username }</strong>
reset-password = كلمة المرور الجديدة
reset-password-again = أعد كتابة كلمة المرور الجديدة
reset-submit = تغيير كلمة المرور
reset-signs-out = تغييرها يسجّل خروجك من كل مكان.
verify-done-title = تم تأكيد العنوان
verify-done = تم تأكيد <strong>{ $email }</strong>. عُد إلى تطبيقك وسجّل الدخول.
verify-gone = انتهت صلاحية هذا الرابط أو سبق استخدامه. سجّل الدخول للحصول على رابط جديد: تعمل الروابط مرة واحدة، ولوقت محدود.
verify-resent = رابط جديد في طريقه إلى <strong>{ $email }</strong>. افتحه، ثم سجّل الدخول.
verify-title = أكّد عنوانك
verify-lead = هذا العنوان يخص حسابك: أكّده.
verify-submit = تأكيد عنواني

## Two-step sign-in
mfa-title = تسجيل الدخول بخطوتين
mfa-codes-title = رموز الاسترداد الخاصة بك
mfa-codes-lead = تم تشغيل تسجيل الدخول بخطوتين. احفظ هذه الرموز في مكان آمن بعيدًا عن هاتفك: يعمل كل رمز مرة واحدة، عندما لا تستطيع استخدام تطبيق المصادقة. لن تُعرض إلا الآن.
mfa-codes-saved = لقد حفظتها، متابعة
mfa-used-title = تم استخدام رمز استرداد
mfa-used = تم استخدام هذا الرمز. { $left ->
    [zero] لم يتبقَّ لديك أي رمز استرداد
    [one] تبقّى لديك رمز استرداد واحد
    [two] تبقّى لديك رمزا استرداد
    [few] تبقّى لديك <strong>{ $left }</strong> رموز استرداد
    [many] تبقّى لديك <strong>{ $left }</strong> رمز استرداد
   *[other] تبقّى لديك <strong>{ $left }</strong> رمز استرداد
}.
mfa-used-few = أنشئ رموزًا جديدة من صفحة حسابك.
mfa-continue = متابعة
mfa-enrol-title = إضافة تطبيق مصادقة
mfa-enrol-lead = يتطلب تسجيل الدخول هنا خطوة ثانية. امسح هذا الرمز بتطبيق مصادقة (مثل Google Authenticator أو Microsoft Authenticator أو 1Password أو Aegis)، ثم اكتب الرمز المكوّن من 6 أرقام الذي يعرضه.
mfa-qr = رمز QR للمفتاح
mfa-key = أو اكتب هذا المفتاح: <code>{ $key }</code>
mfa-app-code = الرمز من التطبيق
mfa-turn-on = تشغيل تسجيل الدخول بخطوتين
mfa-lead-both = استخدم أحد مفاتيح المرور الخاصة بك، أو أدخل الرمز المكوّن من 6 أرقام من تطبيق المصادقة أو أحد رموز الاسترداد.
mfa-lead-code = أدخل الرمز المكوّن من 6 أرقام من تطبيق المصادقة، أو أحد رموز الاسترداد.
mfa-lead-passkey = أكّد أنك أنت باستخدام أحد مفاتيح المرور الخاصة بك.
mfa-code = الرمز

## Account page
account-title = حسابك
account-profile = الملف الشخصي
account-email-line = البريد الإلكتروني: <strong>{ $email }</strong>
account-confirmed = (مؤكَّد)
account-not-confirmed = (لم يُؤكَّد بعد)
account-name = الاسم
account-given-name = الاسم الأول
account-family-name = اسم العائلة
account-save-profile = حفظ الملف الشخصي
account-email-title = عنوان البريد الإلكتروني
account-new-address = العنوان الجديد
account-new-address-hint = نرسل رابطًا إلى هناك؛ يتغيّر عنوانك عند فتحه، ويُبلَّغ العنوان القديم.
account-current-password = كلمة المرور الحالية
account-change-address = تغيير العنوان
account-password-title = كلمة المرور
account-new-password = كلمة المرور الجديدة
account-new-password-hint = { $min ->
    [few] { $min } أحرف على الأقل. تغييرها يسجّل خروج أجهزتك الأخرى.
   *[other] { $min } حرفًا على الأقل. تغييرها يسجّل خروج أجهزتك الأخرى.
}
account-new-password-again = أعد كتابة كلمة المرور الجديدة
account-change-password = تغيير كلمة المرور
account-mfa-on = يُطلب رمز من تطبيق مصادقة بعد كلمة المرور (أُضيف في { $added } UTC). رموز الاسترداد المتبقية: <strong>{ $left }</strong>.
account-mfa-on-used = يُطلب رمز من تطبيق مصادقة بعد كلمة المرور (أُضيف في { $added } UTC، وآخر استخدام في { $used } UTC). رموز الاسترداد المتبقية: <strong>{ $left }</strong>.
account-new-codes = إنشاء رموز استرداد جديدة
account-app-code = رمز من التطبيق
account-mfa-off = إيقاف تسجيل الدخول بخطوتين
account-mfa-offer = أضف تطبيق مصادقة: سيُطلب عند تسجيل الدخول أيضًا الرمز الذي يعرضه.
account-passkeys = مفاتيح المرور
account-passkeys-about = يسجّل مفتاح المرور دخولك ببصمتك أو وجهك أو قفل الشاشة أو مفتاح أمان بدلًا من كلمة المرور، ولا يعمل إلا على هذا الموقع، لذا لا يمكن سرقته بالتصيّد.
account-passkey-synced = متزامن عبر أجهزتك
account-passkey-one-device = على جهاز واحد
account-passkey-added = أُضيف في { $added } UTC
account-passkey-used = آخر استخدام في { $used } UTC
account-passkey-unused = لم يُستخدم بعد
account-passkey-new-name = اسم جديد لـ { $name }
account-rename = إعادة التسمية
account-passkey-remove = إزالة مفتاح المرور { $name }
account-remove = إزالة
account-no-passkey = ليس لديك مفتاح مرور بعد.
account-passkey-script = تتطلب إضافة مفتاح مرور JavaScript.
account-devices = الأجهزة
account-signed-in-since = مسجّل الدخول منذ { $since } UTC
account-this-device = (هذا الجهاز)
account-no-other-devices = لا توجد عمليات تسجيل دخول أخرى.
account-sign-out-elsewhere = تسجيل الخروج من كل مكان آخر
account-applications = التطبيقات
account-app-may = يمكن لـ <strong>{ $app }</strong>:
account-remove-access = إزالة الوصول
account-no-applications = لا يملك أي تطبيق وصولًا إلى حسابك.
account-linked = عمليات تسجيل الدخول المرتبطة
account-unlink = إلغاء الربط
account-nothing-linked = لا يوجد حساب آخر مرتبط بهذا الحساب.
account-link = ربط حساب { $provider }
account-delete-title = حذف حسابك
account-delete-hint = لا يمكن التراجع عن ذلك: يفقد كل تطبيق الوصول، ويزول حسابك.
account-delete = حذف حسابي
account-sign-out = تسجيل الخروج
account-codes-lead = احفظها في مكان آمن بعيدًا عن هاتفك. يعمل كل رمز مرة واحدة، عندما لا تستطيع استخدام تطبيق المصادقة. لن تُعرض إلا الآن.
account-codes-saved = لقد حفظتها
account-totp-lead = امسح هذا الرمز بتطبيق مصادقة (مثل Google Authenticator أو Microsoft Authenticator أو 1Password أو Aegis)، ثم اكتب الرمز المكوّن من 6 أرقام الذي يعرضه.
account-cancel = إلغاء

## Texts made in code, found by their English words (ui::i18n::Catalogs::translate)
text-cannot-complete = لا يمكن إكمال هذا الطلب
text-not-registered = التطبيق الذي أرسلك إلى هنا غير مسجّل.
text-unregistered-return = طلب التطبيق العودة إلى عنوان لم يسجّله.
text-form-incomplete = النموذج غير مكتمل. عُد إلى التطبيق وحاول مرة أخرى.
text-form-unverified = تعذّر التحقق من النموذج. عُد وحاول مرة أخرى.
text-cannot-continue = لا يمكن متابعة هذا الطلب.
text-went-wrong = حدث خطأ ما
text-try-again = يُرجى المحاولة مرة أخرى.
text-could-not-complete = تعذّر على Keygate إكمال الطلب. يُرجى المحاولة مرة أخرى.
text-form-expired = انتهت صلاحية هذا النموذج
text-reload = أعد تحميل الصفحة وحاول مرة أخرى.
text-not-found = الصفحة غير موجودة
text-nothing-here = لا يوجد شيء في هذا العنوان. إذا أرسلك تطبيق إلى هنا، فعُد إليه وحاول مرة أخرى.
text-cannot-sign-in = لا يمكنك تسجيل الدخول
text-still-signed-in = ما زلت مسجّل الدخول
text-nothing-changed = لم يتغيّر شيء.
text-signed-out = لقد سجّلت الخروج
text-close-window = يمكنك إغلاق هذه النافذة.
text-use-passkey = استخدام مفتاح مرور
text-add-passkey = إضافة مفتاح مرور
text-device-wrong-code = هذا الرمز غير صالح أو انتهت صلاحيته. تحقّق من الرمز على جهازك.
text-device-throttled = رموز خاطئة كثيرة جدًا. يُرجى الانتظار بضع دقائق ثم المحاولة مرة أخرى.

## رسائل البريد.
mail-hello = مرحبًا { $name }،
mail-hello-anyone = مرحبًا،
mail-change-email-subject = أكّد عنوانك الجديد في { $product }
mail-change-email-body = لاستخدام هذا العنوان ({ $new_email }) لحسابك في { $product } ‏{ $username }، افتح هذا الرابط خلال { $hours ->
    [one] ساعة واحدة
    [two] ساعتين
    [few] { $hours } ساعات
   *[other] { $hours } ساعة
  }:
mail-change-email-button = استخدم هذا العنوان
mail-change-email-after = حتى ذلك الحين يحتفظ حسابك بعنوانه الحالي. إن لم تطلب ذلك فتجاهل هذه الرسالة.
mail-email-changed-subject = تم تغيير عنوان حسابك في { $product }
mail-email-changed-body = أصبح حسابك في { $product } ‏{ $username } يستخدم العنوان { $new_email } بدلًا من هذا العنوان.
mail-email-changed-warning = إن لم تكن أنت من فعل ذلك، فأعد تعيين كلمة المرور فورًا وأبلغ المسؤول:
mail-reset-now-button = أعد تعيين كلمة المرور
mail-invite-subject = أنت مدعو إلى { $product }
mail-invite-body = أنت مدعو إلى إنشاء حساب في { $product } باسم { $username }. افتح هذا الرابط خلال { $days ->
    [one] يوم واحد
    [two] يومين
    [few] { $days } أيام
   *[other] { $days } يوم
  } لاختيار كلمة المرور:
mail-invite-button = أنشئ حسابي
mail-invite-after = إن لم تكن تتوقع هذه الرسالة فتجاهلها.
mail-password-changed-subject = تم تغيير كلمة مرورك في { $product }
mail-password-changed-body = تم تغيير كلمة مرور حسابك في { $product }، وتم تسجيل الخروج من كل جهاز كان مسجلًا الدخول إليه.
mail-password-changed-warning = إن لم تكن أنت من فعل ذلك، فأعد تعيين كلمة المرور فورًا:
mail-reset-subject = أعد تعيين كلمة مرورك في { $product }
mail-reset-body = طلب أحدهم إعادة تعيين كلمة مرور حسابك في { $product }. لاختيار كلمة مرور جديدة، افتح هذا الرابط خلال { $minutes ->
    [one] دقيقة واحدة
    [two] دقيقتين
    [few] { $minutes } دقائق
   *[other] { $minutes } دقيقة
  }:
mail-reset-button = اختر كلمة مرور جديدة
mail-reset-after = إن لم تكن أنت، فتجاهل هذه الرسالة: تبقى كلمة مرورك كما هي.
mail-signup-subject = أكّد عنوان بريدك الإلكتروني في { $product }
mail-signup-body = لإكمال إنشاء حسابك في { $product }، أكّد أن هذا العنوان لك بفتح هذا الرابط خلال { $hours ->
    [one] ساعة واحدة
    [two] ساعتين
    [few] { $hours } ساعات
   *[other] { $hours } ساعة
  }:
mail-confirm-button = أكّد عنواني
mail-signup-after = إن لم تسجّل فتجاهل هذه الرسالة: لا يُنشأ أي حساب من دونها.
mail-signup-exists-subject = حاول أحدهم التسجيل في { $product } بعنوانك
mail-signup-exists-body = حاول أحدهم إنشاء حساب في { $product } بعنوان البريد هذا، وله حساب بالفعل. لم يتغير شيء.
mail-signup-exists-forgot = إن كنت أنت، فسجّل الدخول كالمعتاد، أو اختر كلمة مرور جديدة إن نسيتها:
mail-choose-password-button = اختر كلمة مرور جديدة
mail-signup-exists-after = إن لم تكن أنت، يمكنك تجاهل هذه الرسالة.
mail-test-subject = رسالة اختبار من { $product }
mail-test-body = هذه رسالة اختبار من { $product } على { $issuer }.
mail-test-after = إن استطعت قراءتها، فبإمكان { $product } إرسال البريد: ستصل رسائل إعادة تعيين كلمة المرور وتأكيد العناوين والدعوات.
mail-verify-subject = أكّد عنوان بريدك الإلكتروني في { $product }
mail-verify-body = أكّد أن هذا العنوان يخص حسابك في { $product } ({ $username }) بفتح هذا الرابط خلال { $hours ->
    [one] ساعة واحدة
    [two] ساعتين
    [few] { $hours } ساعات
   *[other] { $hours } ساعة
  }:
mail-verify-after = إن لم يكن لديك حساب فتجاهل هذه الرسالة.

## Texts made in code: account notices and form problems (looked up by the English words).
text-notice-profile = تم حفظ ملفك الشخصي.
text-notice-password = تم تغيير كلمة المرور. تم تسجيل الخروج من أجهزتك الأخرى.
text-notice-sessions = تم تسجيل الخروج من أجهزتك الأخرى.
text-notice-application = لم يعد للتطبيق وصول إلى حسابك.
text-notice-email = تحقق من عنوانك الجديد: يسري التغيير عند فتح الرابط الذي أرسلناه إليه.
text-notice-unlinked = لم تعد طريقة تسجيل الدخول هذه مرتبطة بحسابك.
text-notice-linked = يمكنك الآن تسجيل الدخول بذلك الحساب أيضًا.
text-notice-mfa-on = تسجيل الدخول بخطوتين مُفعّل.
text-notice-mfa-off = تسجيل الدخول بخطوتين معطّل.
text-notice-passkey = تمت إضافة مفتاح المرور: يمكنك تسجيل الدخول به.
text-notice-passkey-renamed = تمت إعادة تسمية مفتاح المرور.
text-notice-passkey-removed = تمت إزالة مفتاح المرور.
text-field-password = كلمة المرور
text-field-email = البريد الإلكتروني
text-field-name = الاسم
text-passwords-differ = كلمتا المرور غير متطابقتين
text-passwords-differ-sentence = كلمتا المرور غير متطابقتين.
text-password-too-common = كلمة المرور شائعة جدًا: إنها في قائمة كلمات المرور التي يجربها المهاجمون أولًا
text-password-pattern = كلمة المرور نمط بسيط (حرف مكرر، أو تسلسل مثل abcdef أو 987654، أو صف من لوحة المفاتيح)
text-password-has-name = يجب ألا تحتوي كلمة المرور على اسم المستخدم أو اسم البريد الإلكتروني
text-password-too-long = يجب ألا تزيد كلمة المرور على { $max } حرفًا
text-password-too-short = يجب أن تحتوي كلمة المرور على { $min } حرفًا على الأقل (فيها { $length })؛ بضع كلمات لا رابط بينها تصنع كلمة مرور جيدة
text-reset-link-gone = انتهت صلاحية هذا الرابط أو استُخدم من قبل. اطلب رابطًا جديدًا: تعمل الروابط مرة واحدة ولمدة محدودة.
text-signup-link-gone = انتهت صلاحية هذا الرابط أو استُخدم من قبل. سجّل مرة أخرى لتحصل على رابط جديد: تعمل الروابط مرة واحدة ولمدة محدودة.
text-link-again = افتح صفحة حسابك، وسجّل الدخول، ثم اربط الحساب مرة أخرى.
text-link-other-sign-in = بدأ هذا الربط من تسجيل دخول آخر
text-sign-in-failed = فشل تسجيل الدخول
text-try-again-now = حاول مرة أخرى.
text-no-linked-account = لا يوجد حساب مرتبط بتسجيل الدخول هذا بعد. اطلب من المسؤول ربطه.
text-invalid-redirect = إعادة توجيه غير صالحة
text-invalid-redirect-uri = عنوان URI لإعادة التوجيه غير صالح.
text-no-passwords = لا تُستخدم كلمات المرور هنا
text-no-passwords-reset = تسجّلك هذه الخدمة الدخول دون كلمة مرور، فلا توجد كلمة مرور لإعادة تعيينها.
