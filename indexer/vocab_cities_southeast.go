package indexer

// citiesSouthEast: Greece, Cyprus, Malta, the Western Balkans, Bulgaria,
// Türkiye and the South Caucasus.
var citiesSouthEast = []City{
	// Greece
	city("Athens", "GR", "Athènes", "Athen", names{"el": "Αθήνα"}, "Athina", "Athinai", "City of Athens", "Δήμος Αθηναίων"),
	city("Thessaloniki", "GR", "Thessalonique", "", names{"el": "Θεσσαλονίκη"}, "Salonica", "Saloniki", "Salonique"),
	city("Patras", "GR", "", "", names{"el": "Πάτρα"}, "Patra"),
	city("Ioannina", "GR", "Ioannina", "", names{"el": "Ιωάννινα"}, "Janina"),
	city("Heraklion", "GR", "Héraklion", "", names{"el": "Ηράκλειο"}, "Iraklio", "Iraklion"),

	// Cyprus and Malta
	city("Limassol", "CY", "", "", names{"el": "Λεμεσός", "tr": "Limasol"}, "Lemesos"),
	city("Nicosia", "CY", "Nicosie", "Nikosia", names{"el": "Λευκωσία", "tr": "Lefkoşa"}, "Lefkosia"),
	city("Larnaca", "CY", "", "Larnaka", names{"el": "Λάρνακα"}),
	city("Valletta", "MT", "La Valette", "", names{"mt": "Il-Belt Valletta"}, "Valetta"),

	// Serbia
	city("Belgrade", "RS", "", "Belgrad", names{"sr": "Београд"}, "Beograd"),
	city("Novi Sad", "RS", "", "", names{"sr": "Нови Сад", "hu": "Újvidék"}),
	city("Subotica", "RS", "", "", names{"sr": "Суботица", "hu": "Szabadka"}),
	city("Niš", "RS", "", "", names{"sr": "Ниш"}, "Nis"),

	// Bosnia and Herzegovina
	city("Sarajevo", "BA", "", "", names{"bs": "Sarajevo"}),
	city("Banja Luka", "BA", "", "", names{"sr": "Бања Лука"}),
	city("Mostar", "BA", "", "", names{"bs": "Mostar"}),
	city("Tuzla", "BA", "", "", names{"bs": "Tuzla"}),
	city("Prijedor", "BA", "", "", names{"sr": "Приједор"}),

	// Croatia and Slovenia
	city("Zagreb", "HR", "", "", names{"hr": "Zagreb"}, "Agram"),
	city("Rijeka", "HR", "", "", names{"hr": "Rijeka", "it": "Fiume"}),
	city("Split", "HR", "", "", names{"hr": "Split", "it": "Spalato"}),
	city("Osijek", "HR", "", "Esseg", names{"hr": "Osijek"}),
	city("Ljubljana", "SI", "", "Laibach", names{"sl": "Ljubljana", "it": "Lubiana"}),
	city("Maribor", "SI", "", "Marburg an der Drau", names{"sl": "Maribor"}),

	// Montenegro, North Macedonia, Albania, Bulgaria
	city("Podgorica", "ME", "", "", names{"sr": "Подгорица"}),
	city("Skopje", "MK", "Skopje", "Skopje", names{"mk": "Скопје", "sq": "Shkup"}),
	city("Tirana", "AL", "", "", names{"sq": "Tiranë"}, "Tirane"),
	city("Sofia", "BG", "", "", names{"bg": "София"}, "Sofiya"),

	// Türkiye
	city("Istanbul", "TR", "", "", names{"tr": "İstanbul"}),
	city("Izmir", "TR", "", "", names{"tr": "İzmir"}, "Smyrna", "Smyrne"),
	city("Ankara", "TR", "", "", names{"tr": "Ankara"}),
	city("Gaziantep", "TR", "", "", names{"tr": "Gaziantep"}, "Antep"),

	// South Caucasus
	city("Tbilisi", "GE", "Tbilissi", "Tiflis", names{"ka": "თბილისი"}),
	city("Kutaisi", "GE", "Koutaïssi", "", names{"ka": "ქუთაისი"}),
	city("Batumi", "GE", "Batoumi", "", names{"ka": "ბათუმი"}),
	city("Zugdidi", "GE", "Zougdidi", "Sugdidi", names{"ka": "ზუგდიდი"}),
	city("Rustavi", "GE", "Roustavi", "", names{"ka": "რუსთავი"}),
	city("Yerevan", "AM", "Erevan", "Jerewan", names{"hy": "Երևան"}, "Erivan"),
}
