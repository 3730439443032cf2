# Keygate's end-user pages in Arabic (العربية), written right to left; the messages of en.ftl.

language-name = العربية
language-picker = اللغة

## Layout
secured-by = محمي بواسطة { $product }
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
passkey-sign-in = تسجيل الدخول باستخدام مفتاح مرور

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
