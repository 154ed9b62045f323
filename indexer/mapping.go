package indexer

import (
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"
)

// docType is the one document type of the index.
const docType = "practice"

// KeepTermVectors makes the indexes created from now on keep Bleve term
// vectors for their text fields, as indexes created before session 11 do.
// casebook does not need them (it stores positions in FieldPositions); the
// benchmark sets it for the index it gives Bleve alone, whose phrase
// queries read them, and tests use it to compare both sources of positions.
var KeepTermVectors = false

// NewMapping returns the index mapping of a practice index: analysed text
// fields per language, keyword fields for facets and filters, numeric year
// and date, and the stored-only JSON document, fetch state and positions. Nothing is mapped
// dynamically and there is no _all field: queries name their fields.
func NewMapping() (*mapping.IndexMappingImpl, error) {
	im := bleve.NewIndexMapping()
	if err := addAnalyzers(im); err != nil {
		return nil, err
	}
	im.DefaultAnalyzer = AnalyzerXX
	im.DefaultType = docType
	im.TypeField = "_type" // never present in our documents
	im.IndexDynamic = false
	im.StoreDynamic = false
	im.DocValuesDynamic = false
	im.DefaultField = TextField(KindBody, LangOther)

	dm := bleve.NewDocumentStaticMapping()
	dm.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())

	for _, lang := range TextLangs {
		for _, kind := range TextKinds {
			f := bleve.NewTextFieldMapping()
			f.Analyzer = AnalyzerFor(lang)
			f.Store = false
			f.IncludeInAll = false
			// No term vectors: the indexer stores positions compactly
			// in FieldPositions (analysed.go, package positions).
			f.IncludeTermVectors = KeepTermVectors
			f.DocValues = false
			dm.AddFieldMappingsAt(TextField(kind, lang), f)
		}
	}

	for _, name := range []string{FieldCity, FieldCountry, FieldTheme, FieldLang, FieldNetwork, FieldSource, FieldGroup} {
		dm.AddFieldMappingsAt(name, keywordField(false, true))
	}
	for _, name := range []string{FieldURL, FieldHash} {
		dm.AddFieldMappingsAt(name, keywordField(true, false))
	}
	for _, name := range []string{FieldYear, FieldDate} {
		f := bleve.NewNumericFieldMapping()
		f.Store = false
		f.IncludeInAll = false
		f.DocValues = true
		dm.AddFieldMappingsAt(name, f)
	}

	for _, name := range []string{FieldDoc, FieldFetch, FieldPositions} {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = keyword.Name
		f.Index = false
		f.Store = true
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = false
		dm.AddFieldMappingsAt(name, f)
	}

	im.DefaultMapping = dm
	im.AddDocumentMapping(docType, dm)
	if err := im.Validate(); err != nil {
		return nil, err
	}
	return im, nil
}

func keywordField(store, docValues bool) *mapping.FieldMapping {
	f := bleve.NewKeywordFieldMapping()
	f.Store = store
	f.IncludeInAll = false
	f.IncludeTermVectors = false
	f.DocValues = docValues
	return f
}
