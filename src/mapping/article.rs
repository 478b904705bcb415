//! The article's own table and its sections: what it is, who wrote it, and the paragraphs every
//! fact points back to.

use super::error::{error, MapResult};
use super::mapper::{Mapper, Named};
use super::values::{slug, PartialDate, Precision};
use crate::vocab::{brikg, dcterms, schema};
use oxrdf::vocab::rdf;
use oxrdf::Literal;

impl Mapper<'_> {
    pub(super) fn article_meta(&mut self) -> MapResult<()> {
        let meta = &self.file.article;
        let article = self.article.clone();
        self.out.add(&article, rdf::TYPE, brikg::ARTICLE);
        self.out.add(
            &article,
            dcterms::IDENTIFIER,
            Literal::new_simple_literal(self.article_id),
        );
        if meta.title.trim().is_empty() {
            return error(
                meta.id.span(),
                "article.title",
                "the title must not be empty",
            );
        }
        let title = self.text(&meta.title);
        self.out.add(&article, dcterms::TITLE, title);
        if meta.authors.is_empty() {
            return error(
                meta.id.span(),
                "article.authors",
                "name at least one author, e.g. authors = [\"Qiu Ping\"]",
            );
        }
        for (i, author) in meta.authors.iter().enumerate() {
            let slug = slug(author.get_ref());
            if slug.is_empty() {
                return error(
                    author.span(),
                    format!("article.authors[{i}]"),
                    "an author's name must contain letters or digits",
                );
            }
            let person = self.iris.person(&slug);
            self.out.add(&article, dcterms::CREATOR, person.clone());
            self.out.add(&person, rdf::TYPE, brikg::AUTHOR);
            self.out.add(
                &person,
                schema::NAME,
                Literal::new_simple_literal(author.get_ref().trim()),
            );
        }
        let date = PartialDate::parse(&meta.modified, "article.modified")?;
        if date.precision != Precision::Day {
            return error(
                meta.modified.span(),
                "article.modified",
                "the update date needs a day: YYYY-MM-DD",
            );
        }
        self.out.add(&article, dcterms::MODIFIED, date.literal());
        self.out.add(
            &article,
            dcterms::LANGUAGE,
            Literal::new_simple_literal(&self.lang),
        );
        for (i, about) in meta.about.iter().enumerate() {
            let field = format!("article.about[{i}]");
            if self.named.get(about.get_ref().as_str()) == Some(&Named::Organization) {
                self.soft::<()>(error(
                    about.span(),
                    field,
                    format!(
                        "{:?} is an organization; an article is about entities or agreements",
                        about.get_ref()
                    ),
                ));
                continue;
            }
            if let Some(target) = self.soft(self.resolve(about, &field, false)) {
                self.out.add(&article, dcterms::SUBJECT, target);
            }
        }
        Ok(())
    }

    pub(super) fn sections(&mut self) -> MapResult<()> {
        for (i, s) in self.file.sections.iter().enumerate() {
            let id = s.id.get_ref();
            let node = self.iris.article_part(self.article_id, "section", id);
            self.out.add(&node, rdf::TYPE, brikg::SECTION);
            self.out
                .add(&node, dcterms::IS_PART_OF, self.article.clone());
            self.out
                .add(&node, brikg::POSITION, Literal::from(i as u64 + 1));
            if let Some(theme) = &s.theme {
                let theme = self.text(theme);
                self.out.add(&node, brikg::THEME, theme);
            }
            for n in 1..=*s.paragraphs.get_ref() {
                let p = self.iris.paragraph(self.article_id, id, n);
                self.out.add(&p, rdf::TYPE, brikg::PARAGRAPH);
                self.out.add(&p, dcterms::IS_PART_OF, node.clone());
                self.out.add(&p, brikg::POSITION, Literal::from(n));
            }
        }
        Ok(())
    }
}
