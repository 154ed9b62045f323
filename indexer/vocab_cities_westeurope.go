package indexer

// citiesFranceBenelux: France, Belgium, the Netherlands and Luxembourg.
var citiesFranceBenelux = []City{
	// France
	city("Paris", "FR", "", "", nil),
	city("Strasbourg", "FR", "", "Straßburg", nil, "Strassburg", "Strasburg", "Eurométropole de Strasbourg"),
	city("Lyon", "FR", "", "", nil, "Lyons", "Métropole de Lyon"),
	city("Marseille", "FR", "", "", nil, "Marseilles"),
	city("Bordeaux", "FR", "", "", nil, "Bordeaux Métropole"),
	city("Lille", "FR", "", "", names{"nl": "Rijsel"}, "Métropole européenne de Lille"),
	city("Toulouse", "FR", "", "", nil),
	city("Nantes", "FR", "", "", nil, "Nantes Métropole"),
	city("Rennes", "FR", "", "", nil),
	city("Grenoble", "FR", "", "", nil, "Grenoble-Alpes Métropole"),
	city("Montpellier", "FR", "", "", nil),
	city("Nice", "FR", "", "Nizza", names{"it": "Nizza"}),
	city("Montreuil", "FR", "", "", nil, "Montreuil-sous-Bois"),
	city("Saint-Denis", "FR", "", "", nil, "Saint Denis"),
	city("Villeurbanne", "FR", "", "", nil),
	city("Mulhouse", "FR", "", "Mülhausen", nil),

	// Belgium
	city("Brussels", "BE", "Bruxelles", "Brüssel", names{"nl": "Brussel"},
		"Bruxelles-Capitale", "Brussels-Capital", "Brussels Capital Region", "Région de Bruxelles-Capitale",
		"Brussels Hoofdstedelijk Gewest", "Ville de Bruxelles", "Stad Brussel", "City of Brussels"),
	city("Antwerp", "BE", "Anvers", "Antwerpen", names{"nl": "Antwerpen"}),
	city("Ghent", "BE", "Gand", "Gent", names{"nl": "Gent"}),
	city("Mechelen", "BE", "Malines", "Mecheln", names{"nl": "Mechelen"}),
	city("Leuven", "BE", "Louvain", "Löwen", names{"nl": "Leuven"}),
	city("Liège", "BE", "", "Lüttich", names{"nl": "Luik", "wa": "Lîdje"}, "Liege"),
	city("Charleroi", "BE", "", "", names{"nl": "Charleroi"}),
	city("Namur", "BE", "", "Namür", names{"nl": "Namen"}),

	// Netherlands
	city("Rotterdam", "NL", "", "", names{"nl": "Rotterdam"}),
	city("Amsterdam", "NL", "", "", names{"nl": "Amsterdam"}),
	city("The Hague", "NL", "La Haye", "Den Haag", names{"nl": "Den Haag"}, "'s-Gravenhage", "s Gravenhage", "Hague"),
	city("Utrecht", "NL", "", "", names{"nl": "Utrecht"}),
	city("Eindhoven", "NL", "", "", names{"nl": "Eindhoven"}),
	city("Haarlem", "NL", "", "", names{"nl": "Haarlem"}),

	// Luxembourg
	city("Luxembourg City", "LU", "Luxembourg", "Luxemburg", names{"lb": "Lëtzebuerg"}, "Ville de Luxembourg", "Stadt Luxemburg", "Luxembourg-Ville"),
	city("Differdange", "LU", "", "Differdingen", names{"lb": "Déifferdeng"}),
	city("Esch-sur-Alzette", "LU", "", "Esch an der Alzette", names{"lb": "Esch-Uelzecht"}, "Esch"),
}
