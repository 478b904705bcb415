//! The ontology's IRIs as documented constants.
//!
//! Every term the mapping writes is named here once, so a typo is a compile error rather than a
//! silent new property. `tests/ontology.rs` checks each `brikg:` constant against
//! `ontology/brikg.ttl` (and every ontology term the other way), so the code and the ontology
//! cannot drift apart.

use oxrdf::NamedNodeRef;

macro_rules! terms {
    ($ns:expr; $($(#[$doc:meta])* $name:ident = $local:literal;)*) => {
        $( $(#[$doc])* pub const $name: NamedNodeRef<'static> =
            NamedNodeRef::new_unchecked(concat!($ns, $local)); )*
        /// Every term of this vocabulary, for tests and tooling.
        pub const ALL: &[NamedNodeRef<'static>] = &[$($name),*];
    };
}

/// Prefixes the exports use, in the order they are declared in `ontology/brikg.ttl`.
pub const PREFIXES: &[(&str, &str)] = &[
    ("brikg", brikg::NS),
    ("dcat", "http://www.w3.org/ns/dcat#"),
    ("dcterms", "http://purl.org/dc/terms/"),
    ("foaf", "http://xmlns.com/foaf/0.1/"),
    ("owl", "http://www.w3.org/2002/07/owl#"),
    ("prov", "http://www.w3.org/ns/prov#"),
    ("qudt", "http://qudt.org/schema/qudt/"),
    ("quantitykind", "http://qudt.org/vocab/quantitykind/"),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("schema", "http://schema.org/"),
    ("sh", "http://www.w3.org/ns/shacl#"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("unit", "http://qudt.org/vocab/unit/"),
    ("void", "http://rdfs.org/ns/void#"),
    ("wd", "http://www.wikidata.org/entity/"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
];

/// A term as a person reads it: a literal's text, an IRI shortened by a known prefix.
pub fn display_term(term: &oxrdf::Term) -> String {
    match term {
        oxrdf::Term::Literal(l) => l.value().to_owned(),
        oxrdf::Term::NamedNode(n) => PREFIXES
            .iter()
            .find_map(|(p, ns)| {
                n.as_str()
                    .strip_prefix(ns)
                    .filter(|l| !l.contains(['/', '#']))
                    .map(|l| format!("{p}:{l}"))
            })
            .unwrap_or_else(|| n.as_str().to_owned()),
        other => other.to_string(),
    }
}

/// The brikg ontology (`ontology/brikg.ttl`).
pub mod brikg {
    use super::NamedNodeRef;
    /// The namespace of the ontology.
    pub const NS: &str = "https://w3id.org/brikg/ontology#";
    /// The IRI of the ontology itself.
    pub const ONTOLOGY: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://w3id.org/brikg/ontology");

    terms! { "https://w3id.org/brikg/ontology#";
        // Classes
        /// A news article whose facts are in the graph.
        ARTICLE = "Article";
        /// A published system of identifiers a thing may be linked to (Wikidata, GeoNames).
        IDENTIFIER_SCHEME = "IdentifierScheme";
        /// The pattern of an identifier scheme's identifiers.
        IDENTIFIER_PATTERN = "identifierPattern";
        /// How an identifier becomes the IRI of the thing it names (`{id}` replaced).
        IRI_TEMPLATE = "iriTemplate";
        /// Wikidata's items, as an identifier scheme.
        WIKIDATA = "wikidata";
        /// GeoNames' features, as an identifier scheme.
        GEONAMES = "geonames";
        /// A section of an article, in reading order.
        SECTION = "Section";
        /// A paragraph of a section: the unit that provenance points to.
        PARAGRAPH = "Paragraph";
        /// A person who wrote an article.
        AUTHOR = "Author";
        /// A country, identified by its ISO 3166-1 codes.
        COUNTRY = "Country";
        /// An organisation.
        ORGANIZATION = "Organization";
        /// A country's national standardization body.
        NATIONAL_STANDARDIZATION_BODY = "NationalStandardizationBody";
        /// An international organisation.
        INTERNATIONAL_ORGANIZATION = "InternationalOrganization";
        /// A regional organisation.
        REGIONAL_ORGANIZATION = "RegionalOrganization";
        /// Something an article reports facts about.
        COOPERATION_SUBJECT = "CooperationSubject";
        /// An international initiative, such as the Belt and Road Initiative.
        INITIATIVE = "Initiative";
        /// A transport service, such as the China Railway Express.
        TRANSPORT_SERVICE = "TransportService";
        /// A trade corridor.
        TRADE_CORRIDOR = "TradeCorridor";
        /// A railway line.
        RAILWAY = "Railway";
        /// A group of economic and trade cooperation zones.
        COOPERATION_ZONES = "CooperationZones";
        /// A platform or mechanism of cooperation.
        COOPERATION_PLATFORM = "CooperationPlatform";
        /// A body of technical standards.
        STANDARD_SYSTEM = "StandardSystem";
        /// Transport infrastructure: a railway, a port, a road.
        TRANSPORT_FACILITY = "TransportFacility";
        /// A port of any kind.
        PORT = "Port";
        /// Energy infrastructure.
        ENERGY_FACILITY = "EnergyFacility";
        /// A facility that generates electricity.
        POWER_PLANT = "PowerPlant";
        /// Money provided under stated terms.
        FINANCING = "Financing";
        /// A loan.
        LOAN = "Loan";
        /// The twenty-foot equivalent unit (a unit of measure QUDT lacks).
        TEU = "TEU";
        /// A set of agreements an article reports in aggregate.
        AGREEMENT_SET = "AgreementSet";
        /// Standards-cooperation documents.
        STANDARDS_COOPERATION_DOCUMENTS = "StandardsCooperationDocuments";
        /// Memorandums of understanding.
        MEMORANDUMS_OF_UNDERSTANDING = "MemorandumsOfUnderstanding";
        /// One statistic: a value of a measure about a subject at a date.
        OBSERVATION = "Observation";
        /// What an observation measures.
        MEASURE = "Measure";
        /// A field of cooperation.
        FIELD = "Field";
        /// A dated event.
        EVENT = "Event";
        /// The kind of an event.
        EVENT_TYPE = "EventType";
        /// How a reported figure relates to the true value.
        COMPARATOR = "Comparator";
        /// How precise a date is.
        DATE_PRECISION = "DatePrecision";
        /// The scale in which a figure was reported.
        SCALE = "Scale";
        /// Whether a list of named items is complete.
        LIST_COMPLETENESS = "ListCompleteness";

        // Individuals
        /// The reported figure is the value.
        EXACTLY = "exactly";
        /// The value is greater than the reported figure.
        GREATER_THAN = "greaterThan";
        /// The value is at least the reported figure.
        AT_LEAST = "atLeast";
        /// The value is less than the reported figure.
        LESS_THAN = "lessThan";
        /// The value is at most the reported figure.
        AT_MOST = "atMost";
        /// The value is about the reported figure.
        APPROXIMATELY = "approximately";
        /// Precise to the day.
        DAY_PRECISION = "dayPrecision";
        /// Precise to the month.
        MONTH_PRECISION = "monthPrecision";
        /// Precise to the year.
        YEAR_PRECISION = "yearPrecision";
        /// Thousands.
        THOUSAND = "thousand";
        /// Millions.
        MILLION = "million";
        /// Billions (10^9).
        BILLION = "billion";
        /// Trillions (10^12).
        TRILLION = "trillion";
        /// Every member is named.
        COMPLETE_LIST = "completeList";
        /// Only some members are named, as examples.
        EXAMPLES_ONLY = "examplesOnly";
        /// No member is named.
        NONE_NAMED = "noneNamed";
        /// The official launch of something.
        LAUNCH = "launch";
        /// The start of operation of something.
        START_OF_OPERATION = "startOfOperation";
        /// The signing of an agreement.
        SIGNING = "signing";
        /// The completion of something.
        COMPLETION = "completion";
        /// The concept scheme of comparators.
        COMPARATORS = "comparators";
        /// The concept scheme of date precisions.
        DATE_PRECISIONS = "datePrecisions";
        /// The concept scheme of scales.
        SCALES = "scales";
        /// The concept scheme of list completeness.
        LIST_COMPLETENESSES = "listCompletenesses";
        /// The concept scheme of event types.
        EVENT_TYPES = "eventTypes";

        // Properties
        /// The position of a section in its article, or of a paragraph in its section (1-based).
        POSITION = "position";
        /// The theme of a section.
        THEME = "theme";
        /// ISO 3166-1 alpha-2 code.
        ALPHA2 = "iso3166Alpha2";
        /// ISO 3166-1 alpha-3 code.
        ALPHA3 = "iso3166Alpha3";
        /// ISO 3166-1 numeric code.
        NUMERIC = "iso3166Numeric";
        /// The country an organisation or standard system belongs to.
        COUNTRY_PROP = "country";
        /// The country where something is.
        LOCATED_IN = "locatedIn";
        /// A country that established something.
        ESTABLISHED_BY = "establishedBy";
        /// A standard system something is built to.
        USES_STANDARD = "usesStandard";
        /// The country that signed the agreements.
        SIGNATORY = "signatory";
        /// A named counterparty of the agreements.
        COUNTERPARTY = "counterparty";
        /// The type of counterparties the agreements were signed with.
        COUNTERPARTY_TYPE = "counterpartyType";
        /// Whether the named counterparties are all of them.
        COUNTERPARTIES_LISTED = "counterpartiesListed";
        /// A field of cooperation the agreements cover.
        FIELD_PROP = "field";
        /// Whether the named fields are all of them.
        FIELDS_LISTED = "fieldsListed";
        /// How the reported figure relates to the value.
        COMPARATOR_PROP = "comparator";
        /// The quantity a dated figure reports (thing, measure, date and unit as one IRI).
        QUANTITY_PROP = "quantity";
        /// The precision of the reference date.
        DATE_PRECISION_PROP = "datePrecision";
        /// The number as reported, before scaling.
        REPORTED_NUMBER = "reportedNumber";
        /// The scale the number was reported in.
        REPORTED_SCALE = "reportedScale";
        /// The factor of a scale.
        MULTIPLIER = "multiplier";
        /// The kind of an event.
        EVENT_TYPE_PROP = "eventType";
        /// The data file an article graph was built from (relative to the data directory).
        SOURCE_FILE = "sourceFile";
        /// The SHA-256 of that file when the graph was built.
        SOURCE_DIGEST = "sourceDigest";
        /// The digest of what besides the article files shaped the store (version, IRI base,
        /// ontology, reference data).
        BUILD_FINGERPRINT = "buildFingerprint";
        /// Where the store's data came from: "bundled" (compiled into brikg) or "directory".
        DATA_SOURCE = "dataSource";
        /// The size, modification time and inode of the data file when its digest was taken.
        SOURCE_STAMP = "sourceStamp";
        /// A name of a resource of the things graph in normal form: the build state's index of
        /// names, so a rebuild finds the resources that share a name without reading every label.
        NAME_KEY = "nameKey";
    }
}

/// Dublin Core terms.
pub mod dcterms {
    use super::NamedNodeRef;
    terms! { "http://purl.org/dc/terms/";
        /// Title of an article.
        TITLE = "title";
        /// Author of an article.
        CREATOR = "creator";
        /// Date an article was last updated.
        MODIFIED = "modified";
        /// Language of an article.
        LANGUAGE = "language";
        /// What an article is about.
        SUBJECT = "subject";
        /// A section is part of an article, a paragraph of a section.
        IS_PART_OF = "isPartOf";
        /// The date of an event.
        DATE = "date";
        /// Identifier of an article in the data files.
        IDENTIFIER = "identifier";
        /// Description of the dataset.
        DESCRIPTION = "description";
        /// Licence of the dataset.
        LICENSE = "license";
        /// Publisher of the dataset.
        PUBLISHER = "publisher";
        /// When the dataset was issued: the latest update of its articles.
        ISSUED = "issued";
        /// A vocabulary the dataset conforms to.
        CONFORMS_TO = "conformsTo";
        /// The named graph a VoID subset describes (its source).
        SOURCE_GRAPH = "source";
    }
}

/// PROV-O.
pub mod prov {
    use super::NamedNodeRef;
    terms! { "http://www.w3.org/ns/prov#";
        /// The paragraph a fact was taken from.
        WAS_DERIVED_FROM = "wasDerivedFrom";
        /// PROV entity.
        ENTITY = "Entity";
    }
}

/// schema.org.
pub mod schema {
    use super::NamedNodeRef;
    terms! { "http://schema.org/";
        /// Name of a thing.
        NAME = "name";
        /// Another name of a thing.
        ALTERNATE_NAME = "alternateName";
        /// What an observation is about.
        OBSERVATION_ABOUT = "observationAbout";
        /// What an observation measures.
        VARIABLE_MEASURED = "variableMeasured";
        /// The value of an observation, in base units.
        VALUE = "value";
        /// The reference date of an observation.
        OBSERVATION_DATE = "observationDate";
        /// The period an observation covers, as an ISO 8601 duration.
        OBSERVATION_PERIOD = "observationPeriod";
        /// ISO 4217 currency of a monetary value.
        CURRENCY = "currency";
        /// The unit of measure of a value (a QUDT unit IRI).
        UNIT_CODE = "unitCode";
        /// What an event is about.
        ABOUT = "about";
        /// Link to the same thing elsewhere (Wikidata).
        SAME_AS = "sameAs";
        /// Official name of a country.
        LEGAL_NAME = "legalName";
    }
}

/// SKOS.
pub mod skos {
    use super::NamedNodeRef;
    terms! { "http://www.w3.org/2004/02/skos/core#";
        /// Preferred label.
        PREF_LABEL = "prefLabel";
        /// Alternative label.
        ALT_LABEL = "altLabel";
        /// A concept.
        CONCEPT = "Concept";
        /// A concept scheme.
        CONCEPT_SCHEME = "ConceptScheme";
        /// The scheme a concept belongs to.
        IN_SCHEME = "inScheme";
        /// The code of a concept: the id it has in the data files.
        NOTATION = "notation";
        /// What a concept means.
        DEFINITION = "definition";
        /// A broader concept.
        BROADER = "broader";
        /// A top concept of a scheme.
        HAS_TOP_CONCEPT = "hasTopConcept";
    }
}

/// OWL.
pub mod owl {
    use super::NamedNodeRef;
    terms! { "http://www.w3.org/2002/07/owl#";
        /// A class.
        CLASS = "Class";
    }
}

/// QUDT, Quantities, Units, Dimensions and Types: the schema of units of measure.
pub mod qudt {
    use super::NamedNodeRef;
    terms! { "http://qudt.org/schema/qudt/";
        /// A unit of measure.
        UNIT = "Unit";
        /// The unit's code in UCUM.
        UCUM_CODE = "ucumCode";
        /// The unit's symbol.
        SYMBOL = "symbol";
        /// The kind of quantity the unit measures.
        HAS_QUANTITY_KIND = "hasQuantityKind";
        /// The factor to the SI (coherent) unit of its quantity kind.
        CONVERSION_MULTIPLIER = "conversionMultiplier";
    }
}

/// VoID, the Vocabulary of Interlinked Datasets.
pub mod void {
    use super::NamedNodeRef;
    terms! { "http://rdfs.org/ns/void#";
        /// A dataset.
        DATASET = "Dataset";
        /// Number of triples.
        TRIPLES = "triples";
        /// Number of entities (distinct IRI subjects).
        ENTITIES = "entities";
        /// Number of distinct classes.
        CLASSES = "classes";
        /// Number of distinct properties.
        PROPERTIES = "properties";
        /// Number of distinct subjects.
        DISTINCT_SUBJECTS = "distinctSubjects";
        /// Number of distinct objects.
        DISTINCT_OBJECTS = "distinctObjects";
        /// A part of the dataset: one named graph.
        SUBSET = "subset";
        /// A subset of the instances of one class.
        CLASS_PARTITION = "classPartition";
        /// A subset of the triples of one property.
        PROPERTY_PARTITION = "propertyPartition";
        /// The class of a class partition.
        CLASS = "class";
        /// The property of a property partition.
        PROPERTY = "property";
        /// A representative resource.
        EXAMPLE_RESOURCE = "exampleResource";
        /// A SPARQL endpoint serving the dataset.
        SPARQL_ENDPOINT = "sparqlEndpoint";
        /// A vocabulary the dataset uses.
        VOCABULARY = "vocabulary";
        /// The IRI space of the dataset's resources.
        URI_SPACE = "uriSpace";
    }
}

/// DCAT and FOAF terms of the dataset description.
pub mod dcat {
    use super::NamedNodeRef;
    terms! { "http://www.w3.org/ns/dcat#";
        /// A DCAT dataset.
        DATASET = "Dataset";
    }
}

/// FOAF terms.
pub mod foaf {
    use super::NamedNodeRef;
    terms! { "http://xmlns.com/foaf/0.1/";
        /// An agent, the publisher.
        AGENT = "Agent";
        /// Its name.
        NAME = "name";
    }
}
