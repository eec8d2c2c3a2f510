//! Locales: BCP 47 tags as folder names, their canonical form, text direction, and the theme's built-in UI strings.
//!
//! A locale folder is matched case-insensitively (`zh-TW` = `zh-tw`); the folder name in the output is lower case and
//! `<html lang>` uses the canonical casing of RFC 5646 §2.1.1 (`zh-TW`, `zh-Hant-TW`, `sr-Latn`).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::diagnostics::{Diagnostic, Span};

/// A content language, identified by its BCP 47 tag.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Locale {
    /// Lower-case tag: the key everywhere in quire and the output folder name (`zh-tw`).
    pub id: String,
    /// Canonical casing for `lang` and `hreflang` (`zh-TW`).
    pub tag: String,
}

impl Locale {
    /// Parses a tag such as `zh-TW`, `en-us` or `sr-Latn-RS`; `None` when it is not shaped like a language tag.
    ///
    /// Hand-written rather than pulled from a crate: quire needs only the shape check and the casing rule, not the
    /// registry data a full BCP 47 crate carries.
    pub fn parse(s: &str) -> Option<Locale> {
        let mut parts = s.split('-');
        let language = parts.next()?;
        // Only ISO 639 codes (2 or 3 letters): 5-8 letter primary subtags are reserved and unused, and accepting them
        // would turn folders like `images` or `shared` into locales.
        if !(2..=3).contains(&language.len()) || !language.bytes().all(|b| b.is_ascii_alphabetic())
        {
            return None;
        }
        let mut tag = language.to_ascii_lowercase();
        for (i, part) in parts.enumerate() {
            if part.is_empty() || part.len() > 8 || !part.bytes().all(|b| b.is_ascii_alphanumeric())
            {
                return None;
            }
            tag.push('-');
            let alpha = part.bytes().all(|b| b.is_ascii_alphabetic());
            if i == 0 && part.len() == 4 && alpha {
                // Script subtag: title case.
                tag.push_str(&part[..1].to_ascii_uppercase());
                tag.push_str(&part[1..].to_ascii_lowercase());
            } else if part.len() == 2 && alpha {
                // Region subtag: upper case.
                tag.push_str(&part.to_ascii_uppercase());
            } else {
                tag.push_str(&part.to_ascii_lowercase());
            }
        }
        Some(Locale {
            id: tag.to_ascii_lowercase(),
            tag,
        })
    }

    /// The primary language subtag (`zh` for `zh-tw`).
    pub fn language(&self) -> &str {
        self.id.split('-').next().unwrap_or(&self.id)
    }

    /// `rtl` for right-to-left scripts, else `ltr`.
    pub fn dir(&self) -> &'static str {
        match self.language() {
            "ar" | "he" | "fa" | "ur" | "ps" | "sd" | "yi" | "dv" | "ug" => "rtl",
            _ => "ltr",
        }
    }

    /// The built-in UI strings for this locale: its language's table (with Chinese split by script: Taiwan, Hong
    /// Kong, Macau and `Hant` are Traditional), else English. `fr-ca` gets French.
    pub fn strings(&self) -> UiStrings {
        UiStrings::builtin(self)
    }

    fn table(&self) -> Option<&'static Table> {
        let id = self.id.as_str();
        let traditional = id.contains("-hant")
            || id.ends_with("-tw")
            || id.ends_with("-hk")
            || id.ends_with("-mo");
        Some(match self.language() {
            "en" => &EN,
            "zh" if traditional => &ZH_HANT,
            "zh" => &ZH_HANS,
            "ja" => &JA,
            "ko" => &KO,
            "de" => &DE,
            "fr" => &FR,
            "es" => &ES,
            "ar" => &AR,
            _ => return None,
        })
    }

    /// The name of this locale in its own language, for the language switcher: `English (US)`, `繁體中文`; the tag
    /// itself for a language quire has no strings for.
    pub fn native_name(&self) -> String {
        let Some(table) = self.table() else {
            return self.tag.clone();
        };
        let region = self
            .tag
            .rsplit('-')
            .next()
            .filter(|r| r.len() == 2 && r.bytes().all(|b| b.is_ascii_uppercase()));
        match region {
            Some(r) if self.language() != "zh" => format!("{} ({r})", table[0]),
            _ => table[0].to_string(),
        }
    }
}

/// The keys of the built-in UI strings, in table order. Every language table gives each of them, so a template can
/// use any key in any locale; a site's `i18n/<locale>.yml` may override them and add its own.
pub const STRING_KEYS: &[&str] = &[
    // The language's own name, for the language switcher.
    "language_name",
    // Heading of the list of h2/h3 sections.
    "in_this_article",
    // Alert titles.
    "note",
    "tip",
    "important",
    "caution",
    "warning",
    // Language switcher label, skip link, root chooser heading, and the switcher's tag for a missing page.
    "language",
    "skip_to_content",
    "choose_language",
    "not_translated",
    // Navigation: the sidebar's label, the menu button that opens it on phones, breadcrumbs, previous/next, home.
    "contents",
    "menu",
    "breadcrumb",
    "previous",
    "next",
    "home",
    // Fallback notice (`{language}` = the reader's language, `{source}` = the language shown) and its link.
    "fallback_notice",
    "fallback_link",
    // The switcher's tag for a locale where the page is shown in the original language.
    "shown_in_original",
    // Machine translation notice and its link (`{language}` = the original's language).
    "mt_notice",
    "mt_link",
    // 404 page.
    "not_found_title",
    "not_found_text",
    "go_home",
    // Dark/light theme toggle.
    "toggle_theme",
    // Search: the box's label and placeholder, the results page's heading, the status lines (`{query}`,
    // `{count}`), the dropdown's link to the results page, and the results page without JavaScript.
    "search",
    "search_placeholder",
    "search_results",
    "search_no_results",
    "search_one_result",
    "search_count",
    "search_all",
    "search_needs_js",
    // The copy button of code blocks, and what it says once the code is copied.
    "copy_code",
    "copied",
    // DocFX blocks (issue 6): a video player's title, a complex image's description toggle, the label of a pivot
    // zone (`{pivots}` = their titles) and of a version range (`{range}`), and the pivot picker's default label.
    "video",
    "image_description",
    "zone_label",
    "moniker_label",
    "pivot_choose",
    // A redirect page (issue 6): its heading, and the notice around the link to the new place (`{target}`).
    "redirect_title",
    "redirect_notice",
];

/// One built-in table: the value of each of [`STRING_KEYS`], in the same order.
type Table = [&'static str; STRING_KEYS.len()];

static EN: Table = [
    "English",
    "In this article",
    "Note",
    "Tip",
    "Important",
    "Caution",
    "Warning",
    "Language",
    "Skip to main content",
    "Choose a language",
    "not translated",
    "Contents",
    "Menu",
    "Breadcrumb",
    "Previous",
    "Next",
    "Home",
    "This page is not available in {language} yet, so it is shown in {source}.",
    "Open the original page",
    "shown in the original language",
    "This page was translated by a machine and may contain errors.",
    "Read the original in {language}",
    "Page not found",
    "The page you asked for does not exist. It may have moved or been renamed.",
    "Go to the home page",
    "Toggle dark mode",
    "Search",
    "Search this guide",
    "Search results",
    "No results for “{query}”",
    "1 result for “{query}”",
    "{count} results for “{query}”",
    "See all results",
    "Search needs JavaScript. Use the table of contents to find a page.",
    "Copy",
    "Copied",
    "Video",
    "Description",
    "Applies to: {pivots}",
    "Version: {range}",
    "Show content for",
    "Page moved",
    "This page has moved to {target}.",
];

static ZH_HANT: Table = [
    "繁體中文",
    "本文內容",
    "注意",
    "提示",
    "重要",
    "謹慎",
    "警告",
    "語言",
    "跳到主要內容",
    "選擇語言",
    "未翻譯",
    "目錄",
    "選單",
    "導覽路徑",
    "上一頁",
    "下一頁",
    "首頁",
    "此頁面尚未提供{language}版本，因此以 {source} 顯示。",
    "開啟原始頁面",
    "以原文顯示",
    "此頁面為機器翻譯，可能有錯誤。",
    "閱讀 {language} 原文",
    "找不到頁面",
    "您要求的頁面不存在，可能已移動或重新命名。",
    "前往首頁",
    "切換深色模式",
    "搜尋",
    "搜尋本指南",
    "搜尋結果",
    "找不到「{query}」的結果",
    "「{query}」有 1 筆結果",
    "「{query}」有 {count} 筆結果",
    "查看所有結果",
    "搜尋需要 JavaScript。請改用目錄尋找頁面。",
    "複製",
    "已複製",
    "影片",
    "描述",
    "適用於：{pivots}",
    "版本：{range}",
    "選擇要顯示的內容",
    "頁面已移動",
    "此頁面已移至 {target}。",
];

static ZH_HANS: Table = [
    "简体中文",
    "本文内容",
    "注意",
    "提示",
    "重要",
    "注意",
    "警告",
    "语言",
    "跳转到主要内容",
    "选择语言",
    "未翻译",
    "目录",
    "菜单",
    "导航路径",
    "上一页",
    "下一页",
    "首页",
    "此页面尚未提供{language}版本，因此以 {source} 显示。",
    "打开原始页面",
    "以原文显示",
    "此页面为机器翻译，可能有错误。",
    "阅读 {language} 原文",
    "找不到页面",
    "你请求的页面不存在，可能已被移动或重命名。",
    "转到首页",
    "切换深色模式",
    "搜索",
    "搜索本指南",
    "搜索结果",
    "找不到“{query}”的结果",
    "“{query}”有 1 个结果",
    "“{query}”有 {count} 个结果",
    "查看所有结果",
    "搜索需要 JavaScript。请改用目录查找页面。",
    "复制",
    "已复制",
    "视频",
    "描述",
    "适用于：{pivots}",
    "版本：{range}",
    "选择要显示的内容",
    "页面已移动",
    "此页面已移至 {target}。",
];

static JA: Table = [
    "日本語",
    "この記事の内容",
    "注意",
    "ヒント",
    "重要",
    "注意事項",
    "警告",
    "言語",
    "メイン コンテンツにスキップ",
    "言語を選択",
    "未翻訳",
    "目次",
    "メニュー",
    "階層リンク",
    "前へ",
    "次へ",
    "ホーム",
    "このページはまだ{language}で提供されていないため、{source}で表示しています。",
    "元のページを開く",
    "原文で表示",
    "このページは機械翻訳されたもので、誤りが含まれている可能性があります。",
    "{language}の原文を読む",
    "ページが見つかりません",
    "お探しのページは存在しません。移動または名前が変更された可能性があります。",
    "ホームに移動",
    "ダーク モードの切り替え",
    "検索",
    "このガイドを検索",
    "検索結果",
    "「{query}」に一致する結果はありません",
    "「{query}」の検索結果: 1 件",
    "「{query}」の検索結果: {count} 件",
    "すべての結果を表示",
    "検索には JavaScript が必要です。目次からページを探してください。",
    "コピー",
    "コピーしました",
    "ビデオ",
    "説明",
    "対象: {pivots}",
    "バージョン: {range}",
    "表示する内容を選択",
    "ページが移動しました",
    "このページは {target} に移動しました。",
];

static KO: Table = [
    "한국어",
    "이 문서의 내용",
    "참고",
    "팁",
    "중요",
    "주의",
    "경고",
    "언어",
    "주 콘텐츠로 건너뛰기",
    "언어 선택",
    "번역되지 않음",
    "목차",
    "메뉴",
    "이동 경로",
    "이전",
    "다음",
    "홈",
    "이 페이지는 아직 {language}로 제공되지 않아 {source}로 표시됩니다.",
    "원본 페이지 열기",
    "원어로 표시됨",
    "이 페이지는 기계 번역되었으며 오류가 있을 수 있습니다.",
    "{language} 원문 읽기",
    "페이지를 찾을 수 없음",
    "요청한 페이지가 없습니다. 이동되었거나 이름이 바뀌었을 수 있습니다.",
    "홈으로 이동",
    "어두운 모드 전환",
    "검색",
    "이 가이드 검색",
    "검색 결과",
    "‘{query}’에 대한 결과가 없습니다",
    "‘{query}’에 대한 결과 1개",
    "‘{query}’에 대한 결과 {count}개",
    "모든 결과 보기",
    "검색하려면 JavaScript가 필요합니다. 목차에서 페이지를 찾으세요.",
    "복사",
    "복사됨",
    "비디오",
    "설명",
    "적용 대상: {pivots}",
    "버전: {range}",
    "표시할 콘텐츠 선택",
    "페이지가 이동됨",
    "이 페이지는 {target}(으)로 이동했습니다.",
];

static DE: Table = [
    "Deutsch",
    "In diesem Artikel",
    "Hinweis",
    "Tipp",
    "Wichtig",
    "Vorsicht",
    "Warnung",
    "Sprache",
    "Zum Hauptinhalt wechseln",
    "Sprache wählen",
    "nicht übersetzt",
    "Inhalt",
    "Menü",
    "Brotkrümelnavigation",
    "Zurück",
    "Weiter",
    "Startseite",
    "Diese Seite ist noch nicht auf {language} verfügbar und wird daher auf {source} angezeigt.",
    "Originalseite öffnen",
    "in der Originalsprache",
    "Diese Seite wurde maschinell übersetzt und kann Fehler enthalten.",
    "Original auf {language} lesen",
    "Seite nicht gefunden",
    "Die angeforderte Seite existiert nicht. Sie wurde möglicherweise verschoben oder umbenannt.",
    "Zur Startseite",
    "Dunkelmodus umschalten",
    "Suche",
    "Diesen Leitfaden durchsuchen",
    "Suchergebnisse",
    "Keine Ergebnisse für „{query}“",
    "1 Ergebnis für „{query}“",
    "{count} Ergebnisse für „{query}“",
    "Alle Ergebnisse anzeigen",
    "Die Suche benötigt JavaScript. Verwenden Sie das Inhaltsverzeichnis, um eine Seite zu finden.",
    "Kopieren",
    "Kopiert",
    "Video",
    "Beschreibung",
    "Gilt für: {pivots}",
    "Version: {range}",
    "Inhalt anzeigen für",
    "Seite verschoben",
    "Diese Seite wurde nach {target} verschoben.",
];

static FR: Table = [
    "Français",
    "Dans cet article",
    "Remarque",
    "Conseil",
    "Important",
    "Attention",
    "Avertissement",
    "Langue",
    "Passer au contenu principal",
    "Choisir une langue",
    "non traduit",
    "Sommaire",
    "Menu",
    "Fil d’Ariane",
    "Précédent",
    "Suivant",
    "Accueil",
    "Cette page n’est pas encore disponible en {language} ; elle est affichée en {source}.",
    "Ouvrir la page d’origine",
    "affiché dans la langue d’origine",
    "Cette page a été traduite automatiquement et peut contenir des erreurs.",
    "Lire l’original en {language}",
    "Page introuvable",
    "La page demandée n’existe pas. Elle a peut-être été déplacée ou renommée.",
    "Aller à l’accueil",
    "Basculer le mode sombre",
    "Rechercher",
    "Rechercher dans ce guide",
    "Résultats de la recherche",
    "Aucun résultat pour « {query} »",
    "1 résultat pour « {query} »",
    "{count} résultats pour « {query} »",
    "Voir tous les résultats",
    "La recherche nécessite JavaScript. Utilisez la table des matières pour trouver une page.",
    "Copier",
    "Copié",
    "Vidéo",
    "Description",
    "S’applique à : {pivots}",
    "Version : {range}",
    "Afficher le contenu pour",
    "Page déplacée",
    "Cette page a été déplacée vers {target}.",
];

static ES: Table = [
    "Español",
    "En este artículo",
    "Nota",
    "Sugerencia",
    "Importante",
    "Precaución",
    "Advertencia",
    "Idioma",
    "Ir al contenido principal",
    "Elegir un idioma",
    "sin traducir",
    "Contenido",
    "Menú",
    "Ruta de navegación",
    "Anterior",
    "Siguiente",
    "Inicio",
    "Esta página aún no está disponible en {language}, por lo que se muestra en {source}.",
    "Abrir la página original",
    "se muestra en el idioma original",
    "Esta página se tradujo automáticamente y puede contener errores.",
    "Leer el original en {language}",
    "Página no encontrada",
    "La página que busca no existe. Es posible que se haya movido o cambiado de nombre.",
    "Ir a la página principal",
    "Cambiar el modo oscuro",
    "Buscar",
    "Buscar en esta guía",
    "Resultados de la búsqueda",
    "No hay resultados para «{query}»",
    "1 resultado para «{query}»",
    "{count} resultados para «{query}»",
    "Ver todos los resultados",
    "La búsqueda necesita JavaScript. Use la tabla de contenido para encontrar una página.",
    "Copiar",
    "Copiado",
    "Vídeo",
    "Descripción",
    "Se aplica a: {pivots}",
    "Versión: {range}",
    "Mostrar contenido para",
    "Página movida",
    "Esta página se ha movido a {target}.",
];

static AR: Table = [
    "العربية",
    "في هذه المقالة",
    "ملاحظة",
    "تلميح",
    "هام",
    "تنبيه",
    "تحذير",
    "اللغة",
    "التخطي إلى المحتوى الرئيسي",
    "اختر لغة",
    "غير مترجم",
    "المحتويات",
    "القائمة",
    "مسار التنقل",
    "السابق",
    "التالي",
    "الصفحة الرئيسية",
    "هذه الصفحة غير متوفرة بعد باللغة {language}، لذا تُعرض باللغة {source}.",
    "فتح الصفحة الأصلية",
    "معروضة باللغة الأصلية",
    "تمت ترجمة هذه الصفحة آليًا وقد تحتوي على أخطاء.",
    "قراءة الأصل باللغة {language}",
    "الصفحة غير موجودة",
    "الصفحة التي طلبتها غير موجودة. ربما تم نقلها أو إعادة تسميتها.",
    "الانتقال إلى الصفحة الرئيسية",
    "تبديل الوضع الداكن",
    "بحث",
    "البحث في هذا الدليل",
    "نتائج البحث",
    "لا توجد نتائج لـ «{query}»",
    "نتيجة واحدة لـ «{query}»",
    "{count} نتيجة لـ «{query}»",
    "عرض كل النتائج",
    "يتطلب البحث JavaScript. استخدم جدول المحتويات للعثور على صفحة.",
    "نسخ",
    "تم النسخ",
    "فيديو",
    "الوصف",
    "ينطبق على: {pivots}",
    "الإصدار: {range}",
    "عرض المحتوى الخاص بـ",
    "تم نقل الصفحة",
    "تم نقل هذه الصفحة إلى {target}.",
];

/// The UI strings of one locale: the built-in table of its language, English for any key that table lacks, and the
/// site's `i18n/<locale>.yml` on top. Serialized to templates as `strings` (a map, so a site's own keys show too).
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct UiStrings {
    map: BTreeMap<String, String>,
}

impl UiStrings {
    /// The built-in strings of `locale`, without site overrides.
    pub fn builtin(locale: &Locale) -> UiStrings {
        let table = locale.table().unwrap_or(&EN);
        UiStrings {
            map: STRING_KEYS
                .iter()
                .zip(table.iter())
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    /// The string for `key`; empty when neither the built-in tables nor the site define it.
    pub fn get(&self, key: &str) -> &str {
        self.map.get(key).map_or("", String::as_str)
    }

    /// Sets (or adds) a string.
    pub fn set(&mut self, key: String, value: String) {
        self.map.insert(key, value);
    }

    /// `key`'s string with each `{name}` replaced by its value.
    pub fn format(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut s = self.get(key).to_string();
        for (name, value) in args {
            s = s.replace(&format!("{{{name}}}"), value);
        }
        s
    }
}

/// The folder under the site root with a site's UI string overrides, one `<locale>.yml` per locale.
pub const I18N_DIR: &str = "i18n";

/// Applies the site's `i18n/<locale>.yml` files (a map of `key: text`; file names matched case-insensitively, so
/// `zh-TW.yml` = `zh-tw.yml`) on top of the built-in strings of each locale in `locales`. A site may add keys of its
/// own for its templates. Problems are diagnostics: a file that is not valid YAML changes nothing; in a valid file, a
/// value that is not text is reported and the other keys still apply.
pub fn apply_overrides(
    site_root: &Path,
    locales: &[Locale],
    strings: &mut [UiStrings],
    diags: &mut Vec<Diagnostic>,
) {
    let Ok(entries) = std::fs::read_dir(site_root.join(I18N_DIR)) else {
        return;
    };
    let mut files: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    files.sort();
    for path in files {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let Some(stem) = name
            .strip_suffix(".yml")
            .or_else(|| name.strip_suffix(".yaml"))
        else {
            continue;
        };
        let file = format!("{I18N_DIR}/{name}");
        let Some(index) = Locale::parse(stem).and_then(|l| locales.iter().position(|x| *x == l))
        else {
            diags.push(
                Diagnostic::warning(
                    "unused-i18n",
                    format!("`{file}` is for no locale of the site, so it is not used"),
                    Span::point(&file, 1, 1),
                )
                .with_help("name the file after a folder of `content/`, such as `zh-tw.yml`"),
            );
            continue;
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                diags.push(Diagnostic::error(
                    "invalid-i18n",
                    format!("cannot read `{file}`: {e}"),
                    Span::point(&file, 1, 1),
                ));
                continue;
            }
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        match serde_saphyr::from_str::<Option<BTreeMap<String, serde_saphyr::Spanned<StringValue>>>>(
            text,
        ) {
            Ok(map) => {
                for (key, value) in map.unwrap_or_default() {
                    match value.value {
                        StringValue::Text(t) => strings[index].set(key, t),
                        StringValue::Other => diags.push(
                            Diagnostic::error(
                                "invalid-i18n",
                                format!("the value of `{key}` must be text"),
                                Span::point(
                                    &file,
                                    value.referenced.line() as u32,
                                    value.referenced.column() as u32,
                                ),
                            )
                            .with_help(format!("write `{key}: some text` on one line")),
                        ),
                    }
                }
            }
            Err(e) => {
                let (line, col) = e.location().map_or((1, 1), |l| {
                    (l.line().max(1) as u32, l.column().max(1) as u32)
                });
                let message = e.without_snippet().to_string();
                diags.push(
                    Diagnostic::error(
                        "invalid-i18n",
                        format!(
                            "invalid YAML in `{file}`: {}",
                            message.lines().next().unwrap_or("").trim()
                        ),
                        Span::point(&file, line, col),
                    )
                    .with_help("the file is a map of `key: text` lines, such as `next: Continue`"),
                );
            }
        }
    }
}

/// A string override's value: text (numbers and booleans are taken as written), or anything else (an error).
enum StringValue {
    Text(String),
    Other,
}

impl<'de> serde::Deserialize<'de> for StringValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = StringValue;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("text")
            }
            fn visit_str<E>(self, v: &str) -> Result<StringValue, E> {
                Ok(StringValue::Text(v.to_string()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<StringValue, E> {
                Ok(StringValue::Text(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<StringValue, E> {
                Ok(StringValue::Text(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<StringValue, E> {
                Ok(StringValue::Text(v.to_string()))
            }
            fn visit_bool<E>(self, v: bool) -> Result<StringValue, E> {
                Ok(StringValue::Text(v.to_string()))
            }
            fn visit_unit<E>(self) -> Result<StringValue, E> {
                Ok(StringValue::Text(String::new()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<StringValue, A::Error> {
                while a.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(StringValue::Other)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<StringValue, A::Error> {
                while a
                    .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(StringValue::Other)
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_casing() {
        let l = Locale::parse("zh-TW").unwrap();
        assert_eq!((l.id.as_str(), l.tag.as_str()), ("zh-tw", "zh-TW"));
        assert_eq!(Locale::parse("EN-us").unwrap().tag, "en-US");
        assert_eq!(Locale::parse("zh-hant-tw").unwrap().tag, "zh-Hant-TW");
        assert_eq!(Locale::parse("es-419").unwrap().tag, "es-419");
    }

    #[test]
    fn rejects_folders_that_are_not_tags() {
        for bad in [
            "images",
            "shared",
            "a",
            "en_us",
            "en-",
            "-en",
            "zh-toolongsubtag",
            "1234",
        ] {
            assert!(Locale::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn strings_fall_back_by_language() {
        let get = |tag: &str, key: &str| Locale::parse(tag).unwrap().strings().get(key).to_string();
        assert_eq!(get("zh-tw", "note"), "注意");
        assert_eq!(get("zh-cn", "in_this_article"), "本文内容");
        assert_eq!(get("fr-ca", "note"), "Remarque");
        assert_eq!(get("sv-se", "note"), "Note");
        assert_eq!(Locale::parse("ar-sa").unwrap().dir(), "rtl");
    }

    #[test]
    fn every_table_fills_every_key_and_keeps_the_placeholders() {
        for table in [&EN, &ZH_HANT, &ZH_HANS, &JA, &KO, &DE, &FR, &ES, &AR] {
            for (key, value) in STRING_KEYS.iter().zip(table.iter()) {
                assert!(!value.trim().is_empty(), "{key} of {}", table[0]);
                for (k, placeholders) in [
                    ("fallback_notice", &["{language}", "{source}"][..]),
                    ("mt_link", &["{language}"][..]),
                    ("zone_label", &["{pivots}"][..]),
                    ("moniker_label", &["{range}"][..]),
                ] {
                    if *key == k {
                        for p in placeholders {
                            assert!(value.contains(p), "{key} of {} lacks {p}", table[0]);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn format_fills_placeholders() {
        let s = Locale::parse("en-us").unwrap().strings();
        assert_eq!(
            s.format("mt_link", &[("language", "English")]),
            "Read the original in English"
        );
    }

    #[test]
    fn native_names() {
        assert_eq!(Locale::parse("zh-tw").unwrap().native_name(), "繁體中文");
        assert_eq!(
            Locale::parse("en-us").unwrap().native_name(),
            "English (US)"
        );
        assert_eq!(
            Locale::parse("de-de").unwrap().native_name(),
            "Deutsch (DE)"
        );
        assert_eq!(Locale::parse("sv-se").unwrap().native_name(), "sv-SE");
    }
}
