"""PDF documents (reportlab): a shared Nghị định 30/2020 page layout and one
module per document. Nothing here touches the database: documents are built
from the services' frozen read models."""
