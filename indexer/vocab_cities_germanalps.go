package indexer

// citiesGermanAlps: Germany, Austria and Switzerland.
var citiesGermanAlps = []City{
	// Germany
	city("Berlin", "DE", "", "", nil, "Land Berlin"),
	city("Berlin-Neukölln", "DE", "", "", nil, "Neukölln", "Neukoelln", "Berlin Neukoelln", "Bezirk Neukölln", "Neukölln (Berlin)", "Bezirksamt Neukölln"),
	city("Hamburg", "DE", "Hambourg", "", nil, "Freie und Hansestadt Hamburg"),
	city("Munich", "DE", "", "München", names{"it": "Monaco di Baviera"}, "Muenchen", "Landeshauptstadt München", "Stadt München"),
	city("Cologne", "DE", "", "Köln", nil, "Koeln", "Stadt Köln"),
	city("Frankfurt", "DE", "Francfort", "Frankfurt am Main", nil, "Frankfurt/Main", "Francfort-sur-le-Main", "Frankfurt a. M."),
	city("Stuttgart", "DE", "", "", nil, "Landeshauptstadt Stuttgart", "Stadt Stuttgart"),
	city("Düsseldorf", "DE", "", "", nil, "Dusseldorf", "Duesseldorf", "Landeshauptstadt Düsseldorf", "Stadt Düsseldorf"),
	city("Erlangen", "DE", "", "", nil, "Stadt Erlangen"),
	city("Nuremberg", "DE", "Nuremberg", "Nürnberg", nil, "Nuernberg"),
	city("Augsburg", "DE", "Augsbourg", "", nil),
	city("Mannheim", "DE", "", "", nil),
	city("Dortmund", "DE", "", "", nil),
	city("Duisburg", "DE", "", "", nil),
	city("Bonn", "DE", "", "", nil, "Bundesstadt Bonn"),
	city("Leipzig", "DE", "Leipzig", "", nil),
	city("Dresden", "DE", "Dresde", "", nil),
	city("Hanover", "DE", "Hanovre", "Hannover", nil),
	city("Bremen", "DE", "Brême", "", nil, "Freie Hansestadt Bremen"),
	city("Wiesbaden", "DE", "", "", nil),
	city("Offenbach am Main", "DE", "Offenbach-sur-le-Main", "", nil, "Offenbach"),

	// Austria
	city("Vienna", "AT", "Vienne", "Wien", nil, "Stadt Wien"),
	city("Graz", "AT", "", "", nil),
	city("Linz", "AT", "", "", nil),
	city("Salzburg", "AT", "Salzbourg", "", nil),
	city("Innsbruck", "AT", "", "", nil),

	// Switzerland
	city("Geneva", "CH", "Genève", "Genf", names{"it": "Ginevra"}, "Ville de Genève"),
	city("Neuchâtel", "CH", "", "Neuenburg", names{"it": "Neuchâtel"}, "Neuchatel", "Ville de Neuchâtel"),
	city("Lausanne", "CH", "", "", names{"it": "Losanna"}),
	city("Bern", "CH", "Berne", "", names{"it": "Berna"}),
	city("Zurich", "CH", "", "Zürich", names{"it": "Zurigo"}, "Zuerich"),
	city("Basel", "CH", "Bâle", "", names{"it": "Basilea"}, "Basle"),
	city("Lucerne", "CH", "", "Luzern", names{"it": "Lucerna"}),
	city("Winterthur", "CH", "", "", nil),
	city("Lugano", "CH", "", "", names{"it": "Lugano"}),
}
