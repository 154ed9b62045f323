package indexer

// citiesCentralEast: Poland, Czechia, Slovakia, Hungary, Romania, Moldova,
// Ukraine and the Baltic states.
var citiesCentralEast = []City{
	// Poland
	city("Lublin", "PL", "", "", names{"pl": "Lublin"}, "Miasto Lublin"),
	city("Warsaw", "PL", "Varsovie", "Warschau", names{"pl": "Warszawa"}, "Miasto Stołeczne Warszawa"),
	city("Kraków", "PL", "Cracovie", "Krakau", names{"pl": "Kraków"}, "Krakow", "Cracow"),
	city("Gdańsk", "PL", "", "Danzig", names{"pl": "Gdańsk"}, "Gdansk"),
	city("Gdynia", "PL", "", "Gdingen", names{"pl": "Gdynia"}),
	city("Wrocław", "PL", "", "Breslau", names{"pl": "Wrocław"}, "Wroclaw"),
	city("Poznań", "PL", "", "Posen", names{"pl": "Poznań"}, "Poznan"),
	city("Łódź", "PL", "", "Lodz", names{"pl": "Łódź"}),

	// Czechia and Slovakia
	city("Prague", "CZ", "", "Prag", names{"cs": "Praha"}),
	city("Brno", "CZ", "", "Brünn", names{"cs": "Brno"}),
	city("Bratislava", "SK", "", "Pressburg", names{"sk": "Bratislava", "hu": "Pozsony"}),
	city("Košice", "SK", "", "Kaschau", names{"sk": "Košice", "hu": "Kassa"}, "Kosice"),

	// Hungary
	city("Budapest", "HU", "", "", names{"hu": "Budapest"}),
	city("Pécs", "HU", "", "Fünfkirchen", names{"hu": "Pécs"}, "Pecs"),
	city("Szeged", "HU", "", "Segedin", names{"hu": "Szeged"}),

	// Romania
	city("Bucharest", "RO", "Bucarest", "Bukarest", names{"ro": "București"}, "Bucuresti"),
	city("Cluj-Napoca", "RO", "", "Klausenburg", names{"ro": "Cluj-Napoca", "hu": "Kolozsvár"}, "Cluj"),
	city("Iași", "RO", "Iași", "Iași", names{"ro": "Iași"}, "Iasi", "Jassy"),
	city("Timișoara", "RO", "", "Temeswar", names{"ro": "Timișoara", "hu": "Temesvár"}, "Timisoara"),
	city("Constanța", "RO", "Constanța", "Konstanza", names{"ro": "Constanța"}, "Constanta"),

	// Moldova
	city("Chișinău", "MD", "", "", names{"ro": "Chișinău", "ru": "Кишинёв"}, "Chisinau", "Kishinev", "Kischinau"),
	city("Bălți", "MD", "", "", names{"ro": "Bălți", "ru": "Бельцы"}, "Balti", "Beltsy"),
	city("Cahul", "MD", "", "", names{"ro": "Cahul"}),
	city("Comrat", "MD", "", "", names{"ro": "Comrat"}),
	city("Ungheni", "MD", "", "", names{"ro": "Ungheni"}),

	// Ukraine
	city("Kyiv", "UA", "Kyiv", "Kiew", names{"uk": "Київ"}, "Kiev", "Kyjiw", "Kiyv"),
	city("Lviv", "UA", "Lviv", "Lwiw", names{"uk": "Львів", "pl": "Lwów"}, "Lvov", "Lwow", "Lemberg", "Léopol"),
	city("Odesa", "UA", "Odessa", "Odessa", names{"uk": "Одеса"}),
	city("Kharkiv", "UA", "Kharkiv", "Charkiw", names{"uk": "Харків"}, "Kharkov"),
	city("Dnipro", "UA", "", "", names{"uk": "Дніпро"}, "Dnipropetrovsk"),
	city("Zaporizhzhia", "UA", "Zaporijjia", "Saporischschja", names{"uk": "Запоріжжя"}, "Zaporizhia", "Zaporozhye"),
	city("Vinnytsia", "UA", "Vinnytsia", "Winnyzja", names{"uk": "Вінниця"}, "Vinnitsa", "Vinnytsya"),
	city("Sumy", "UA", "Soumy", "", names{"uk": "Суми"}),
	city("Melitopol", "UA", "", "", names{"uk": "Мелітополь"}),
	city("Pavlohrad", "UA", "", "Pawlohrad", names{"uk": "Павлоград"}, "Pavlograd"),
	city("Lutsk", "UA", "Loutsk", "Luzk", names{"uk": "Луцьк"}),
	city("Kropyvnytskyi", "UA", "Kropyvnytskyï", "Kropywnyzkyj", names{"uk": "Кропивницький"}, "Kropyvnytskyy", "Kirovohrad"),
	city("Kremenchuk", "UA", "Krementchouk", "Krementschuk", names{"uk": "Кременчук"}, "Kremenchug"),
	city("Ternopil", "UA", "", "", names{"uk": "Тернопіль"}, "Tarnopol"),
	city("Mariupol", "UA", "Marioupol", "", names{"uk": "Маріуполь"}),
	city("Chernivtsi", "UA", "Tchernivtsi", "Czernowitz", names{"uk": "Чернівці"}),

	// Baltic states
	city("Vilnius", "LT", "", "Wilna", names{"lt": "Vilnius", "pl": "Wilno"}),
	city("Riga", "LV", "", "", names{"lv": "Rīga"}),
	city("Tallinn", "EE", "", "", names{"et": "Tallinn"}, "Reval"),
}
