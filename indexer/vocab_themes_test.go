package indexer

import (
	"strings"
	"testing"
)

// realTags are tags as member sites write them (ICC good-practice
// categories, RECI/RPCI, Observatory and German municipal sites), by theme
// and language.
var realTags = []struct {
	theme      string
	en, fr, de []string
}{
	{"anti-discrimination",
		[]string{"Racism", "Anti-racism", "LGBTI", "LGBTIQ+", "Hate speech", "Islamophobia", "Antisemitism", "Equal opportunities", "Human rights"},
		[]string{"Racisme", "Lutte contre le racisme et l'antisémitisme", "Discriminations", "Égalité des chances", "Contrôle au faciès", "Droits humains"},
		[]string{"Rassismus", "Antirassismus", "Diskriminierungsschutz", "Chancengleichheit", "Antisemitismus", "LSBTIQ*", "Menschenrechte"}},
	{"anti-rumour",
		[]string{"Anti-rumour strategy", "Anti-rumours network", "Stereotypes", "Prejudice", "Myth busting", "Fake news"},
		[]string{"Stratégie anti-rumeurs", "Réseau anti-rumeurs", "Préjugés", "Stéréotypes", "Idées reçues"},
		[]string{"Anti-Gerüchte-Strategie", "Vorurteile", "Vorurteile abbauen", "Stereotype", "Falschinformationen"}},
	{"business-employment",
		[]string{"Employment", "Entrepreneurship", "Labour market integration", "Recognition of qualifications", "Vocational training", "Migrant entrepreneurs"},
		[]string{"Insertion professionnelle", "Emploi", "Entrepreneuriat", "Reconnaissance des diplômes", "Formation professionnelle", "Économie sociale et solidaire"},
		[]string{"Ausbildung", "Arbeitsmarktintegration", "Berufliche Integration", "Anerkennung ausländischer Berufsabschlüsse", "Existenzgründung", "Charta der Vielfalt"}},
	{"communication",
		[]string{"Communication", "Awareness raising", "Campaigns", "Social media", "Media"},
		[]string{"Sensibilisation", "Campagne de sensibilisation", "Réseaux sociaux", "Médias"},
		[]string{"Öffentlichkeitsarbeit", "Sensibilisierung", "Kampagne", "Soziale Medien", "Medienkompetenz"}},
	{"culture",
		[]string{"Culture", "Festivals", "Heritage", "Arts and culture", "Libraries", "Museums"},
		[]string{"Culture", "Festivals", "Patrimoine", "Loisirs", "Médiathèque", "Fête de quartier"},
		[]string{"Kultur", "Kulturerbe", "Freizeit", "Stadtfest", "Kunst und Kultur", "Stadtbibliothek"}},
	{"openness",
		[]string{"Interculturality", "Intercultural dialogue", "Intercultural competence", "Cultural diversity", "Intercultural integration"},
		[]string{"Interculturalité", "Dialogue interculturel", "Diversité culturelle", "Cités interculturelles", "Compétence interculturelle"},
		[]string{"Interkulturalität", "Interkulturelle Öffnung", "Interkulturelle Woche", "Kulturelle Vielfalt", "Weltoffenheit"}},
	{"education",
		[]string{"Education", "Schools", "Lifelong learning", "Early childhood education", "Homework help"},
		[]string{"Éducation", "École", "Soutien scolaire", "Aide aux devoirs", "Réussite éducative"},
		[]string{"Bildung", "Schule", "Kita", "Hausaufgabenhilfe", "Erwachsenenbildung", "Elternarbeit"}},
	{"gender",
		[]string{"Women", "Gender equality", "Migrant women", "Domestic violence", "Girls"},
		[]string{"Femmes", "Égalité femmes-hommes", "Violences faites aux femmes", "Femmes migrantes", "Violences conjugales"},
		[]string{"Frauen", "Gleichstellung der Geschlechter", "Migrantinnen", "Häusliche Gewalt", "Mädchenarbeit"}},
	{"health-social",
		[]string{"Health", "Mental health", "Social services", "Families", "Access to healthcare", "Poverty"},
		[]string{"Santé", "Action sociale", "Accès aux soins", "Parentalité", "Santé mentale", "Lutte contre la pauvreté"},
		[]string{"Gesundheit", "Soziales", "Gesundheitsförderung", "Familienbildung", "Psychosoziale Versorgung", "Armutsbekämpfung"}},
	{"housing-urban",
		[]string{"Housing", "Urban planning", "Social housing", "Homelessness", "Urban regeneration", "Gentrification"},
		[]string{"Logement", "Urbanisme", "Logement social", "Mixité sociale", "Politique de la ville", "Rénovation urbaine"},
		[]string{"Wohnen", "Stadtplanung", "Stadtentwicklung", "Sozialer Wohnungsbau", "Bezahlbarer Wohnraum", "Wohnungslosigkeit"}},
	{"leadership",
		[]string{"Leadership", "Leadership and citizenship", "Political commitment", "Governance", "Local governance"},
		[]string{"Engagement politique", "Gouvernance", "Volonté politique", "Élus locaux"},
		[]string{"Politisches Engagement", "Führung", "Kommunale Steuerung", "Oberbürgermeister"}},
	{"mediation",
		[]string{"Mediation", "Conflict resolution", "Intercultural mediation", "Community mediation", "Restorative justice"},
		[]string{"Médiation", "Médiation interculturelle", "Médiation sociale", "Résolution des conflits", "Justice restaurative"},
		[]string{"Mediation", "Konfliktlösung", "Streitschlichtung", "Nachbarschaftsmediation", "Sprach- und Kulturmittler"}},
	{"multilingualism",
		[]string{"Multilingualism", "Languages", "Language courses", "Interpreting", "Mother tongue", "ESOL"},
		[]string{"Plurilinguisme", "Langues", "Cours de français", "Cours de langue", "Interprétariat", "Français langue étrangère"},
		[]string{"Mehrsprachigkeit", "Sprachen", "Deutschkurs", "Deutschkurse", "Sprachförderung", "Herkunftssprachlicher Unterricht", "Sprachcafé"}},
	{"participation",
		[]string{"Citizen participation", "Civic participation", "Participatory budgeting", "Volunteering", "Migrant councils", "Citizenship"},
		[]string{"Participation citoyenne", "Budget participatif", "Démocratie participative", "Bénévolat", "Conseil de quartier", "Citoyenneté"},
		[]string{"Bürgerbeteiligung", "Bürgerhaushalt", "Partizipation", "Ehrenamt", "Integrationsrat", "Teilhabe", "Einbürgerung"}},
	{"public-services",
		[]string{"Public services", "One-stop shop", "Community services", "Access to services"},
		[]string{"Services publics", "Guichet unique", "Accès aux droits", "Service public"},
		[]string{"Öffentliche Dienste", "Verwaltung", "Bürgerservice", "Ausländerbehörde", "Interkulturelle Öffnung der Verwaltung"}},
	{"refugees",
		[]string{"Refugees", "Asylum seekers", "Migrants", "Unaccompanied minors", "Refugees and migrants", "Ukrainian refugees"},
		[]string{"Réfugiés", "Demandeurs d'asile", "Asile", "Migrants", "Mineurs non accompagnés", "Sans-papiers"},
		[]string{"Geflüchtete", "Flüchtlinge", "Asyl", "Asylbewerber", "Asylsuchende", "Flüchtlingshilfe", "Sicherer Hafen"}},
	{"religion",
		[]string{"Religion", "Interfaith", "Interfaith dialogue", "Places of worship", "Mosques"},
		[]string{"Dialogue interreligieux", "Laïcité", "Lieux de culte", "Mosquée", "Fait religieux"},
		[]string{"Interreligiöser Dialog", "Moschee", "Religionsgemeinschaften", "Religionsfreiheit", "Rat der Religionen"}},
	{"roma",
		[]string{"Roma", "Roma inclusion", "Travellers", "Antigypsyism", "Roma and Travellers"},
		[]string{"Roms", "Gens du voyage", "Inclusion des Roms", "Antitsiganisme", "Tsiganes"},
		[]string{"Roma", "Sinti und Roma", "Sinti", "Antiziganismus", "Sinti*zze und Rom*nja", "Jenische"}},
	{"safety",
		[]string{"Police", "Policing", "Community policing", "Crime prevention", "Radicalisation", "Prevention of violent extremism"},
		[]string{"Sécurité", "Police de proximité", "Prévention de la délinquance", "Sécurité urbaine", "Prévention de la radicalisation"},
		[]string{"Polizei", "Sicherheit", "Kriminalprävention", "Gewaltprävention", "Extremismusprävention", "Rechtsextremismus"}},
	{"welcoming",
		[]string{"Newcomers", "Welcoming", "Integration", "Welcome centre", "Immigrants", "Living together"},
		[]string{"Accueil", "Primo-arrivants", "Nouveaux arrivants", "Intégration", "Vivre ensemble", "Vivre-ensemble"},
		[]string{"Zuwanderung", "Willkommenskultur", "Neuzugewanderte", "Integrationskurs", "Kommunales Integrationszentrum", "Zusammenleben"}},
	{"neighbourhoods",
		[]string{"Public space", "Neighbourhoods", "Neighborhood", "Community centres", "Community gardens"},
		[]string{"Espace public", "Quartiers", "Maison de quartier", "Jardins partagés", "Vie de quartier"},
		[]string{"Quartiersmanagement", "Öffentlicher Raum", "Nachbarschaft", "Stadtteilarbeit", "Soziale Stadt", "Gemeinwesenarbeit", "Kiez"}},
	{"youth",
		[]string{"Youth", "Young people", "Children", "Youth work", "Youth centres"},
		[]string{"Jeunesse", "Jeunes", "Enfance", "Maison des jeunes", "Protection de l'enfance"},
		[]string{"Jugend", "Jugendliche", "Jugendarbeit", "Kinder- und Jugendarbeit", "Jugendzentrum"}},
	{"sport",
		[]string{"Sport", "Sports", "Sport clubs", "Sports clubs", "Football", "Physical activity"},
		[]string{"Sport", "Clubs sportifs", "Associations sportives", "Sport pour tous", "Activité physique"},
		[]string{"Sport", "Sportverein", "Sportvereine", "Integration durch Sport", "Fußball", "Fussball", "Breitensport"}},
}

func TestRealWorldTags(t *testing.T) {
	covered := map[string]bool{}
	for _, test := range realTags {
		covered[test.theme] = true
		for lang, tags := range map[string][]string{"en": test.en, "fr": test.fr, "de": test.de} {
			if len(tags) < 4 {
				t.Errorf("%s/%s: %d tags in the table; want at least 4", test.theme, lang, len(tags))
			}
			for _, tag := range tags {
				for _, form := range []string{tag, strings.ToLower(tag), fold(tag)} {
					if got, ok := LookupTheme(form); !ok || got != test.theme {
						t.Errorf("%s: LookupTheme(%q) = %q, %v; want %q", lang, form, got, ok, test.theme)
					}
				}
			}
		}
	}
	for _, th := range Themes() {
		if !covered[th.ID] {
			t.Errorf("theme %s has no real-world tags in the table", th.ID)
		}
	}
}

// TestEverySynonymMapsToItsTheme guards the loose fallback: a synonym
// must find its own theme even where its loose key collides with another.
func TestEverySynonymMapsToItsTheme(t *testing.T) {
	for _, th := range Themes() {
		for _, s := range th.Synonyms {
			if got, ok := LookupTheme(s); !ok || got != th.ID {
				t.Errorf("LookupTheme(%q) = %q, %v; want %q", s, got, ok, th.ID)
			}
		}
	}
}

func TestThemeWordsThatAreNotThemes(t *testing.T) {
	// Words too vague for one theme stay unmapped rather than mapped
	// wrongly; "Rom" is Rome in German.
	for _, w := range []string{"Rom", "Orientation", "Engagement", "Projekt", "Project", "Projet", "City", "Ville", "Stadt", "News", "Actualités"} {
		if got, ok := LookupTheme(w); ok {
			t.Errorf("LookupTheme(%q) = %q; want not found", w, got)
		}
	}
}
