package indexer

import "strings"

// languages gives each ISO 639-1 code its name in English, French, German
// and ("self") in the language itself.
var languages = map[string]map[string]string{
	"ar": {"en": "Arabic", "fr": "Arabe", "de": "Arabisch", "self": "العربية"},
	"bg": {"en": "Bulgarian", "fr": "Bulgare", "de": "Bulgarisch", "self": "Български"},
	"ca": {"en": "Catalan", "fr": "Catalan", "de": "Katalanisch", "self": "Català"},
	"cs": {"en": "Czech", "fr": "Tchèque", "de": "Tschechisch", "self": "Čeština"},
	"da": {"en": "Danish", "fr": "Danois", "de": "Dänisch", "self": "Dansk"},
	"de": {"en": "German", "fr": "Allemand", "de": "Deutsch", "self": "Deutsch"},
	"el": {"en": "Greek", "fr": "Grec", "de": "Griechisch", "self": "Ελληνικά"},
	"en": {"en": "English", "fr": "Anglais", "de": "Englisch", "self": "English"},
	"es": {"en": "Spanish", "fr": "Espagnol", "de": "Spanisch", "self": "Español"},
	"et": {"en": "Estonian", "fr": "Estonien", "de": "Estnisch", "self": "Eesti"},
	"eu": {"en": "Basque", "fr": "Basque", "de": "Baskisch", "self": "Euskara"},
	"fa": {"en": "Persian", "fr": "Persan", "de": "Persisch", "self": "فارسی"},
	"fi": {"en": "Finnish", "fr": "Finnois", "de": "Finnisch", "self": "Suomi"},
	"fr": {"en": "French", "fr": "Français", "de": "Französisch", "self": "Français"},
	"ga": {"en": "Irish", "fr": "Irlandais", "de": "Irisch", "self": "Gaeilge"},
	"gl": {"en": "Galician", "fr": "Galicien", "de": "Galicisch", "self": "Galego"},
	"he": {"en": "Hebrew", "fr": "Hébreu", "de": "Hebräisch", "self": "עברית"},
	"hr": {"en": "Croatian", "fr": "Croate", "de": "Kroatisch", "self": "Hrvatski"},
	"hu": {"en": "Hungarian", "fr": "Hongrois", "de": "Ungarisch", "self": "Magyar"},
	"it": {"en": "Italian", "fr": "Italien", "de": "Italienisch", "self": "Italiano"},
	"ja": {"en": "Japanese", "fr": "Japonais", "de": "Japanisch", "self": "日本語"},
	"ko": {"en": "Korean", "fr": "Coréen", "de": "Koreanisch", "self": "한국어"},
	"lt": {"en": "Lithuanian", "fr": "Lituanien", "de": "Litauisch", "self": "Lietuvių"},
	"lv": {"en": "Latvian", "fr": "Letton", "de": "Lettisch", "self": "Latviešu"},
	"nl": {"en": "Dutch", "fr": "Néerlandais", "de": "Niederländisch", "self": "Nederlands"},
	"no": {"en": "Norwegian", "fr": "Norvégien", "de": "Norwegisch", "self": "Norsk"},
	"pl": {"en": "Polish", "fr": "Polonais", "de": "Polnisch", "self": "Polski"},
	"pt": {"en": "Portuguese", "fr": "Portugais", "de": "Portugiesisch", "self": "Português"},
	"ro": {"en": "Romanian", "fr": "Roumain", "de": "Rumänisch", "self": "Română"},
	"ru": {"en": "Russian", "fr": "Russe", "de": "Russisch", "self": "Русский"},
	"sk": {"en": "Slovak", "fr": "Slovaque", "de": "Slowakisch", "self": "Slovenčina"},
	"sl": {"en": "Slovenian", "fr": "Slovène", "de": "Slowenisch", "self": "Slovenščina"},
	"sq": {"en": "Albanian", "fr": "Albanais", "de": "Albanisch", "self": "Shqip"},
	"sr": {"en": "Serbian", "fr": "Serbe", "de": "Serbisch", "self": "Српски"},
	"sv": {"en": "Swedish", "fr": "Suédois", "de": "Schwedisch", "self": "Svenska"},
	"tr": {"en": "Turkish", "fr": "Turc", "de": "Türkisch", "self": "Türkçe"},
	"uk": {"en": "Ukrainian", "fr": "Ukrainien", "de": "Ukrainisch", "self": "Українська"},
	"zh": {"en": "Chinese", "fr": "Chinois", "de": "Chinesisch", "self": "中文"},
}

// langByName maps folded language names (any of the labels above) to codes;
// filled by buildVocabulary.
var langByName = map[string]string{}

// langAliases maps codes that are not the ISO 639-1 code we index under:
// ISO 639-2 codes, Norwegian written standards and withdrawn codes.
var langAliases = map[string]string{
	"nb": "no", "nn": "no", "iw": "he", "in": "id", "ji": "yi",
	"eng": "en", "fra": "fr", "fre": "fr", "deu": "de", "ger": "de", "spa": "es", "por": "pt",
	"ita": "it", "nld": "nl", "dut": "nl", "cat": "ca", "eus": "eu", "baq": "eu", "nor": "no",
	"nob": "no", "nno": "no", "swe": "sv", "dan": "da", "pol": "pl", "ell": "el", "gre": "el",
	"tur": "tr", "ara": "ar", "ukr": "uk", "rus": "ru", "ron": "ro", "rum": "ro",
}

// LangLabel returns the name of language code in the interface language
// ui: LangLabel("fr", "de") is "Französisch". Other interface languages get
// the English name; an unknown code comes back upper-cased.
func LangLabel(code, ui string) string {
	names := languages[NormalizeLang(code)]
	if names == nil {
		return strings.ToUpper(code)
	}
	if l := names[ui]; l != "" {
		return l
	}
	return names["en"]
}

// NormalizeLang turns a language tag or name into the lowercase ISO 639-1
// code we index under: "de-DE" -> "de", "fr_CA" -> "fr", "nb" -> "no",
// "Deutsch" -> "de". A tag without a two- or three-letter primary subtag
// and no known name gives "".
func NormalizeLang(tag string) string {
	tag = strings.TrimSpace(tag)
	if tag == "" {
		return ""
	}
	if code, ok := langByName[fold(tag)]; ok {
		return code
	}
	primary := strings.ToLower(tag)
	if i := strings.IndexAny(primary, "-_ .@;,"); i >= 0 {
		primary = primary[:i]
	}
	if a, ok := langAliases[primary]; ok {
		return a
	}
	if (len(primary) == 2 || len(primary) == 3) && isLower(primary) {
		return primary
	}
	return ""
}

func isLower(s string) bool {
	for _, c := range []byte(s) {
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}
