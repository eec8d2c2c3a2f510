//! Locales: BCP 47 tags as folder names, their canonical form, text direction, and the theme's built-in UI strings.
//!
//! A locale folder is matched case-insensitively (`zh-TW` = `zh-tw`); the folder name in the output is lower case and
//! `<html lang>` uses the canonical casing of RFC 5646 §2.1.1 (`zh-TW`, `zh-Hant-TW`, `sr-Latn`).

use serde::Serialize;

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

    /// The UI strings of the default theme for this locale: its language's table (with Chinese split by script:
    /// Taiwan, Hong Kong, Macau and `Hant` are Traditional), else English. `fr-ca` gets French.
    pub fn strings(&self) -> &'static UiStrings {
        self.table().unwrap_or(&EN)
    }

    fn table(&self) -> Option<&'static UiStrings> {
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
            Some(r) if self.language() != "zh" => format!("{} ({r})", table.language_name),
            _ => table.language_name.to_string(),
        }
    }
}

/// Labels the default theme shows, in one language. Serialized to templates as `strings`.
#[derive(Debug, Serialize)]
pub struct UiStrings {
    /// The language's own name (`繁體中文`).
    pub language_name: &'static str,
    /// Heading of the list of h2 sections.
    pub in_this_article: &'static str,
    /// Title of `> [!NOTE]`.
    pub note: &'static str,
    /// Title of `> [!TIP]`.
    pub tip: &'static str,
    /// Title of `> [!IMPORTANT]`.
    pub important: &'static str,
    /// Title of `> [!CAUTION]`.
    pub caution: &'static str,
    /// Title of `> [!WARNING]`.
    pub warning: &'static str,
    /// Label of the language switcher.
    pub language: &'static str,
    /// Skip link for keyboard users.
    pub skip_to_content: &'static str,
    /// Heading of the site root's language chooser.
    pub choose_language: &'static str,
    /// Shown in the switcher beside a locale the page does not exist in.
    pub not_translated: &'static str,
}

macro_rules! strings {
    ($name:ident: $lang:expr, $ita:expr, [$note:expr, $tip:expr, $imp:expr, $cau:expr, $warn:expr], $language:expr, $skip:expr, $choose:expr, $nt:expr) => {
        static $name: UiStrings = UiStrings {
            language_name: $lang,
            in_this_article: $ita,
            note: $note,
            tip: $tip,
            important: $imp,
            caution: $cau,
            warning: $warn,
            language: $language,
            skip_to_content: $skip,
            choose_language: $choose,
            not_translated: $nt,
        };
    };
}

strings!(EN: "English", "In this article", ["Note", "Tip", "Important", "Caution", "Warning"], "Language", "Skip to main content", "Choose a language", "not translated");
strings!(ZH_HANT: "繁體中文", "本文內容", ["注意", "提示", "重要", "謹慎", "警告"], "語言", "跳到主要內容", "選擇語言", "未翻譯");
strings!(ZH_HANS: "简体中文", "本文内容", ["注意", "提示", "重要", "注意", "警告"], "语言", "跳转到主要内容", "选择语言", "未翻译");
strings!(JA: "日本語", "この記事の内容", ["注意", "ヒント", "重要", "注意事項", "警告"], "言語", "メイン コンテンツにスキップ", "言語を選択", "未翻訳");
strings!(KO: "한국어", "이 문서의 내용", ["참고", "팁", "중요", "주의", "경고"], "언어", "주 콘텐츠로 건너뛰기", "언어 선택", "번역되지 않음");
strings!(DE: "Deutsch", "In diesem Artikel", ["Hinweis", "Tipp", "Wichtig", "Vorsicht", "Warnung"], "Sprache", "Zum Hauptinhalt wechseln", "Sprache wählen", "nicht übersetzt");
strings!(FR: "Français", "Dans cet article", ["Remarque", "Conseil", "Important", "Attention", "Avertissement"], "Langue", "Passer au contenu principal", "Choisir une langue", "non traduit");
strings!(ES: "Español", "En este artículo", ["Nota", "Sugerencia", "Importante", "Precaución", "Advertencia"], "Idioma", "Ir al contenido principal", "Elegir un idioma", "sin traducir");
strings!(AR: "العربية", "في هذه المقالة", ["ملاحظة", "تلميح", "هام", "تنبيه", "تحذير"], "اللغة", "التخطي إلى المحتوى الرئيسي", "اختر لغة", "غير مترجم");

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
        assert_eq!(Locale::parse("zh-tw").unwrap().strings().note, "注意");
        assert_eq!(
            Locale::parse("zh-cn").unwrap().strings().in_this_article,
            "本文内容"
        );
        assert_eq!(Locale::parse("fr-ca").unwrap().strings().note, "Remarque");
        assert_eq!(Locale::parse("sv-se").unwrap().strings().note, "Note");
        assert_eq!(Locale::parse("ar-sa").unwrap().dir(), "rtl");
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
