"""Documents generated from an event's card: the news report (ru/kk), invitation tickets and certificates
(PDF), and the event report (DOCX). `grammar` holds the Russian and Kazakh grammar they share."""
