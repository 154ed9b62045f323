package indexer

// citiesNordicBritish: Norway, Sweden, Denmark, Finland, Iceland, Ireland
// and the United Kingdom.
var citiesNordicBritish = []City{
	// Norway
	city("Oslo", "NO", "", "", names{"no": "Oslo"}),
	city("Bergen", "NO", "", "", names{"no": "Bergen"}),
	city("Stavanger", "NO", "", "", names{"no": "Stavanger"}),
	city("Sandnes", "NO", "", "", names{"no": "Sandnes"}),
	city("Drammen", "NO", "", "", names{"no": "Drammen"}),
	city("Trondheim", "NO", "", "", names{"no": "Trondheim"}),
	city("Kristiansand", "NO", "", "", names{"no": "Kristiansand"}),
	city("Fredrikstad", "NO", "", "", names{"no": "Fredrikstad"}),
	city("Larvik", "NO", "", "", names{"no": "Larvik"}),
	city("Tromsø", "NO", "", "", names{"no": "Tromsø", "se": "Romsa"}, "Tromso", "Tromsoe"),
	city("Ålesund", "NO", "", "", names{"no": "Ålesund"}, "Alesund", "Aalesund"),

	// Sweden
	city("Botkyrka", "SE", "", "", names{"sv": "Botkyrka"}, "Botkyrka Municipality"),
	city("Stockholm", "SE", "", "", names{"sv": "Stockholm"}),
	city("Gothenburg", "SE", "Göteborg", "Göteborg", names{"sv": "Göteborg"}, "Gothembourg", "Goteborg", "Goeteborg"),
	city("Malmö", "SE", "", "", names{"sv": "Malmö"}, "Malmo", "Malmoe"),
	city("Uppsala", "SE", "", "", names{"sv": "Uppsala"}, "Upsala"),
	city("Västerås", "SE", "", "", names{"sv": "Västerås"}, "Vasteras"),
	city("Norrköping", "SE", "", "", names{"sv": "Norrköping"}, "Norrkoping"),

	// Denmark
	city("Copenhagen", "DK", "Copenhague", "Kopenhagen", names{"da": "København"}, "Kobenhavn", "Koebenhavn"),
	city("Aarhus", "DK", "", "", names{"da": "Aarhus"}, "Århus", "Arhus"),
	city("Odense", "DK", "", "", names{"da": "Odense"}),

	// Finland
	city("Helsinki", "FI", "", "", names{"fi": "Helsinki", "sv": "Helsingfors"}, "Helsingin kaupunki"),
	city("Espoo", "FI", "", "", names{"fi": "Espoo", "sv": "Esbo"}, "Espoon kaupunki"),
	city("Vantaa", "FI", "", "", names{"fi": "Vantaa", "sv": "Vanda"}, "Vantaan kaupunki"),
	city("Turku", "FI", "", "", names{"fi": "Turku", "sv": "Åbo"}, "Turun kaupunki", "Abo"),
	city("Tampere", "FI", "", "", names{"fi": "Tampere", "sv": "Tammerfors"}, "Tampereen kaupunki"),

	// Iceland
	city("Reykjavík", "IS", "Reykjavik", "", names{"is": "Reykjavík"}, "Reykjavikurborg", "Reykjavíkurborg"),

	// Ireland
	city("Dublin", "IE", "", "", names{"ga": "Baile Átha Cliath"}, "Dublin City"),
	city("Limerick", "IE", "", "", names{"ga": "Luimneach"}),
	city("Cork", "IE", "", "", names{"ga": "Corcaigh"}),
	city("Galway", "IE", "", "", names{"ga": "Gaillimh"}),

	// United Kingdom
	city("London", "GB", "Londres", "", nil, "Greater London"),
	city("Lewisham", "GB", "", "", nil, "London Borough of Lewisham"),
	city("Bradford", "GB", "", "", nil, "City of Bradford", "Bradford District"),
	city("Manchester", "GB", "", "", nil),
	city("Birmingham", "GB", "", "", nil),
	city("Leicester", "GB", "", "", nil),
	city("Liverpool", "GB", "", "", nil),
	city("Leeds", "GB", "", "", nil),
	city("Bristol", "GB", "", "", nil),
	city("Peterborough", "GB", "", "", nil),
	city("Glasgow", "GB", "", "", names{"gd": "Glaschu"}),
	city("Edinburgh", "GB", "Édimbourg", "", names{"gd": "Dùn Èideann"}),
	city("Cardiff", "GB", "", "", names{"cy": "Caerdydd"}),
	city("Swansea", "GB", "", "", names{"cy": "Abertawe"}),
	city("Belfast", "GB", "", "", names{"ga": "Béal Feirste"}),
}
