# Italian lexicon of the helpline's triage (Turin). Format: see README.md in this folder.
# Accents are folded before matching: write "piu", "perche", "e" (for è).
# Gergo included: "madama" = polizia, "farsi" = drogarsi, "a rota" = in astinenza.

[detect]
il la di che non mi ho un una per sono lo mio mia ma con da del della sto cosa ti gli le
si ci se piu ancora anche come sempre perche oggi stasera adesso tutto niente nn cmq qnd ke

[boundary]
ma pero perche anche se invece

[normalise]
nn = non
cmq = comunque
qnd = quando
ke = che
xke = perche
xche = perche
x = per
tt = tutto
sn = sono
qlc = qualcosa
kiama = chiama
kiamare = chiamare

# ---------------------------------------------------------------- suicide and self-harm

[suicide_self_harm high]
suicid*
(farla finita|farmi fuori|togliermi la vita|ammazzarmi|uccidermi|suicidarmi|impiccarmi)
(la faccio finita|mi ammazzo|mi uccido|mi impicco|mi butto|mi tolgo la vita)
(voglio|vorrei|meglio) ~3 (morire|morto|sparire|non esserci|non svegliarmi)
(non ci fossi|se io non ci fossi|non esserci) [piu]
(meglio|sarebbe meglio) ~3 (senza di me|se non ci fossi|se morissi|se sparissi)
(non ce la faccio|non ce la faccio piu|non reggo piu|non ne posso piu) ~2 (a vivere|piu|di vivere)
(non ha senso|nessun senso) (vivere|la vita|andare avanti)
(pensare|penso|pensando|pensieri|ripensando|ci penso) ~3 (suicidio|farla finita|morire|ammazzarmi|togliermi)
(tagliarmi|mi taglio|mi tagliavo|mi sono tagliato|mi sono tagliata|tagliato di nuovo|mi sto tagliando)
(farmi del male|mi faccio del male|mi facevo del male|mi sono fatto del male|mi sono fatta del male)
(bruciarmi|mi brucio|mi sono bruciato)
(ho provato|ho tentato|tentato) ~3 (ammazzarmi|uccidermi|suicid*|impiccarmi|farla finita)
(quante|quanti) ~2 (pastiglie|pillole|compresse|paracetamolo|gocce) ~3 (servono|ci vogliono|bastano|per morire)
(le voci|voci) ~4 (farmi del male|ammazzarmi|uccidermi|male)
(si vuole|vuole) ~2 (ammazzare|uccidere|suicidare|farla finita|morire)
(ammazzarsi|uccidersi|suicidarsi|farla finita)

[suicide_self_harm emergency]
(sono|sto|mi trovo) ~3 (sul|sulla|sopra il|sopra la|al) (ponte|binari|binario|tetto|cornicione|parapetto|terrazzo)
(ho preso|ho ingoiato|ho mandato giu|si e presa|ha preso) ~3 (tutte|tutti|tutta|un flacone|una scatola|la scatola) ~4 (pastiglie|pillole|compresse|gocce|medicine|farmaci|metadone|scatola)
(mi sto tagliando|sto sanguinando|non smette di sanguinare|sangue dappertutto)
(stanotte|stasera|adesso|ora) (mi butto|mi impicco|la faccio finita|mi ammazzo)
(mi butto|mi impicco|la faccio finita|mi ammazzo) (stanotte|stasera|adesso|ora|subito)
(non si sveglia|non riesce a svegliarsi)

# ------------------------------------------------------------------- violence to others

[violence_to_others high]
(lo|la|li) (spacco|ammazzo|uccido|ammazzerei|accoltello|sparo|massacro|sistemo|meno)
(gli|le) (sparo|spacco la faccia|tiro un pugno|do una coltellata|do un pugno|spacco la testa)
(tiro|tirero|do) un pugno ~3 (faccia|a lui|a lei)
(voglia|impulso|impulsi) di ~3 (picchiare|ammazzare|fare del male|accoltellare|spaccare) ~2 (qualcuno|lui|lei|la faccia)
(ho paura|paura) di quello che (faccio|farei|potrei fare)
(rissa|risse|sparatoria|accoltellamento)
(tirato fuori|ha tirato fuori|tira fuori) ~2 (coltello|pistola|lama|mazza)

[violence_to_others emergency]
(sta sparando|stanno sparando|ha sparato|hanno sparato|spara|sparano)
(con la|con una|col) (pistola|coltello|mazza) ~4 (sotto casa|qui|fuori|davanti|in strada)
(rissa|lite) ~6 (coltello|pistola|lama|adesso|sta succedendo)
(pistola|coltello) in mano
(vado|sto andando) ~3 (da lui|da lei|a cercarlo) ~3 (col|con il|con la) (coltello|pistola|mazza|lama)

# ----------------------------------------------------------------------- domestic abuse

[domestic_abuse high]
(mi picchia|mi picchiava|mi ha picchiato|mi ha picchiata|mi mena|mi ha menato|mi strangola|mi prende a schiaffi|mi spinge|mi minaccia|mi ha minacciato|mi ha minacciata)
(il mio compagno|la mia compagna|mio marito|mia moglie|il mio ragazzo|la mia ragazza|lui|lei|il mio ex|la mia ex) ~3 (picchia|picchiava|mena|minaccia|controlla|strangola)
(mi controlla|controlla) ~2 (il telefono|i messaggi|dove vado)
(si prende|prende|mi toglie|tiene) ~2 (i miei soldi|il mio stipendio|la carta|i soldi)
non mi fa (vedere|uscire|parlare) ~3 (amiche|amici|famiglia|madre|sorella|nessuno)
(ho paura di lui|ho paura di lei|paura di mio marito|paura del mio compagno)
(lividi|un occhio nero)
(ho dato|ho tirato) (uno schiaffo|un pugno|uno spintone|un calcio) ~3 (ragazza|compagna|moglie|ex|lei)
(ho spinto|ho picchiato|ho strattonato) ~3 (ragazza|compagna|moglie|ex|lei)
(violenza domestica|maltrattamenti in famiglia)

[domestic_abuse emergency]
(mi sta picchiando|la sta picchiando|mi sta strangolando|sta picchiando)
(sta sfondando|sfonda|prende a calci) la porta
mi sono chiusa in (bagno|camera)
mi sono chiuso in (bagno|camera)

# ------------------------------------------------------------------- child safeguarding

[child_safeguarding high]
(bambini|bambino|bambina|figli|figlio|figlia|piccolo|piccola|neonato) ~4 (da soli|da solo|da sola|soli in casa|senza mangiare|non mangiano)
(la chiude|lo chiude|li chiude) ~3 (camera|stanza|buio|bagno)
(la picchia|lo picchia|li picchia|la mena|lo mena) quando
(gli fanno|le fanno|li fanno) ~2 (tenere|portare|spacciare|vendere) ~2 (la roba|roba|droga)
(ho scosso|ha scosso) ~2 (il bambino|la bambina|il neonato)
(abuso|abusi) su (minori|bambini)

# -------------------------------------------------------------------- substance misuse

[substance_misuse medium]
(voglia|voglia pazzesca) di (farmi|bere|farmi una|una canna|usare|drogarmi)
(a rota|in astinenza)
(mi torna|torna) la voglia
(paura di andare a comprare|andare a comprare)
(avrei|ho) ~2 voglia di bere

[substance_misuse high]
(ricaduto|ricaduta|sono ricaduto|sono ricaduta)
(tornato|tornata|ricominciato|ripreso) ~2 a (farmi|bere|drogarmi|usare|bucarmi)
(mi faccio|mi sono fatto|mi sono fatta|mi bucco|mi buco) ~3 (di nuovo|ancora|ogni giorno|dopo)
(eroina|l ero|cocaina|crack|coca) ~3 (di nuovo|giorni|ancora|tornato)
(overdose) ~3 (si va|rischio|cosi)
(tolleranza) ~3 (persa|bassa|giu)

[substance_misuse emergency]
(respira male|non respira|respira a fatica|non respira bene)
(labbra|faccia) ~2 (viola|blu|bianche)
(sto andando giu|non riesco a stare sveglio|non riesco a stare sveglia)
(ho esagerato|troppa roba|preso troppo|presa troppa|fatto troppo)
(convulsioni|svenuto|svenuta|incosciente|e per terra)
(si e fatto|si e fatta) ~3 (adesso|e ora|e adesso)

# ------------------------------------------------------------------------ reoffending

[reoffending_risk medium]
(paura|ho paura|terrorizzato|preoccupato) ~6 (dentro|carcere|revoca*|revocano|riportano|galera|violazione)
(mi riportano dentro|mi revocano|revocare la misura|revoca della misura)
(rientrato|arrivato) ~3 (dopo l orario|in ritardo|tardi)
(braccialetto) ~4 (lampeggia|suona|rosso|manomesso)
(quelli del giro|quelli di prima|i vecchi amici) ~5 (chiamano|cercano|vogliono)
(mi ha fermato|fermato|perquisito|perquisizione)

[reoffending_risk high]
(fare una consegna|una consegna|portare un pacco|fare un giro) ~5 (euro|soldi|stasera)
(penso che lo faccio|quasi quasi lo faccio|credo che lo faccio)
(mi tolgo|togliermi|tagliare|taglio) il braccialetto
(fare una cazzata) ~4 (dentro|riportano|arrestano)
(divieto di avvicinamento|divieto) ~10 (ci vado|vado|mi arrestassero)
(mi arrestassero pure|che mi arrestino)
(rapina|rapinare|spacciare|rubare|scippare) ~3 (stasera|domani|vado|faccio)
(soldi facili)
(non li reggo piu) ~3 (domiciliari)

# ----------------------------------------------------------------------- accommodation

[accommodation medium]
(non so dove dormire|dove dormo|dove dormire|senza casa|senzatetto|per strada|in strada)
(mi ha buttato fuori|mi hanno buttato fuori|buttato fuori)
(sfratto|sfrattato|sfrattata)
(dormitorio|asilo notturno) ~4 (pieno|non c e posto|tornare domani)
(la casa e saltata|casa saltata|la casa non c e piu)
(dormo sul divano|dormire sul divano)

# ------------------------------------------------------------------------------ finance

[finance low]
(sportello per i debiti|sportello debiti|consulenza debiti)

[finance medium]
(niente soldi|senza soldi|al verde|non ho soldi|non ho un euro|zero soldi)
(niente da mangiare|non ho da mangiare|non mangio da)
(assegno|reddito|sussidio|pensione) ~3 (sospeso|sospesa|tolto|bloccato)
(ho|mi restano) # euro ~3 (fino|per)
(cartella|equitalia|pignoramento|ufficiale giudiziario)
(pieno di|sommerso dai|ho dei|ho tanti) debiti
(affitto|bollette|bolletta) ~2 da pagare
(staccato|staccata|tagliato) ~2 (la luce|il gas|luce|gas)
(non so piu come fare)

# -------------------------------------------------------------------- emotional distress

[emotional_distress medium]
(attacco di panico|attacchi di panico|panico|in para|para totale)
(ansia|agitato|agitatissimo|agitata|nervoso|nervosissimo)
(mi sento solo|mi sento sola|solo come un cane|nessuno mi chiama|nessuno mi cerca)
(sto male|sto proprio male|sto malissimo|giu di morale|depresso|depressa)
(sono|mi sento|sto) ~2 (giu|a pezzi|distrutto|distrutta|vuoto|vuota)
(incazzato|incazzata|arrabbiato|arrabbiata|furioso|furiosa|incazzato nero)
(volevo spaccare tutto|spaccare tutto)
(non riesco a respirare|non respiro|tremo|tremando)
(non riesco a calmarmi|non dormo|non ci dormo|incubi)
(ho paura a uscire|paura di uscire)
(non ha senso provarci|non ha senso)
(mi vergogno) ~2 (da morire)

# ------------------------------------------------------------------------------ employment

[employment low]
(curriculum|cv|colloquio|lavoro|datore di lavoro|collega|capo|magazzino|cooperativa|tirocinio|corso|posto di lavoro|contratto|job|assunto|mi hanno preso)

[employment medium]
(licenziato|licenziata|mi hanno mandato via dal lavoro)

# ----------------------------------------------------------------------------- markers

[marker means]
(ho|tengo|preparato|pronte|pronto|messo da parte|conservato) ~2 (pastiglie|pillole|compresse|corda|gocce|lametta|lamette)
(ponte|binari|treno|tetto|po|fiume|cornicione)
💊

[marker plan]
(ho gia preparato tutto|ho preparato tutto|ho deciso|ho un piano)
(ho scritto una lettera|lettera d addio)
(so dove|so che e) ~3 (al bar|abita|sta|e)
(vado da lui|vado a cercarlo|sto andando da lui)

[marker time]
(stanotte|stasera|tra poco|fra poco|oggi stesso|adesso vado|vado adesso|lo faccio adesso)

[marker goodbye]
(ho scritto una lettera|lettera d addio|una lettera per)
(dite a|dite alla|dite al) ~3 (figlia|figlio|madre|mamma|famiglia) ~3 (voglio bene|dispiace|scusa)
(non chiamate|non mandate nessuno|non mandate|non chiamate la madama|non chiamate la polizia)
(addio a tutti|addio)

[marker weapon]
(coltello|pistola|lama|mazza|martello|machete|arma|🔪|🔫)

[marker happening]
(sta succedendo|in questo momento|proprio adesso)
(sfondando|urla|urlano|piange) ~3 (la porta|adesso|forte)

[marker child_present]
(bambini|bambino|bambina|figlio|figlia|piccolo|piccola|neonato) ~4 (visto|hanno visto|in camera|qui|in casa|con noi|presente|piange)
(la piccola|il piccolo|il suo bambino|i bambini)

[marker overdose]
(overdose)

# ---------------------------------------------------------------------------- modifiers

[habit]
(da ragazzo|da ragazza|una volta)

[negation]
non
mai
(non faccio niente di stupido|non faccio niente|non mi faccio niente|niente di stupido)

[past]
(anni fa|anno fa|tanto tempo fa|molto tempo fa)
(da ragazzo|da ragazza|da giovane|da piccolo)
(acqua passata|e passato|e acqua passata)
(in passato|una volta)

[present]
(di nuovo|ancora|adesso|stasera|oggi|stanotte|ultimamente|in questi giorni)

[quote]
(canzone|film|serie|libro|citazione|meme)

[idiom]
(mi ammazzo|ammazzarsi|morire|morto|morta|muoio) (dalle risate|dal ridere)
(muoio|morire|morto) (di noia|di fame|dal ridere|dalle risate)
(ho una fame che muoio|una fame che muoio)
(mi piace|piace) da morire
(lavoro|sto lavoro|questo lavoro|capo) ~2 (mi uccide|mi ammazza)
mi vergogno da morire
(un po d ansia|un po di ansia|un po nervoso)

[third_party]
(il mio amico|la mia amica|mio fratello|mia sorella|mio cugino|mia cugina|mio figlio|mia figlia|il mio coinquilino|mio padre|mia madre)
(continua a dire|dice) ~3 (che si|di volersi)

# ================================================================ broader coverage, by concept

[suicide_self_harm high]
non ha ~2 senso (vivere|la vita|andare avanti|continuare)
(sono|mi sento) ~2 un peso (per tutti|per la mia famiglia|per i miei|per tutti voi)
peso per tutti
(nessuno|nessuno) ~2 (se ne accorgerebbe|mi mancherebbe|sentirebbe la mia mancanza)
(non vedo|nessuna) via d uscita
(il modo piu veloce|modo indolore|come farla finita|come uccidersi|come ammazzarsi)
(cercato|cercando) ~4 (come morire|dose letale|farla finita|suicidio)
(non voglio piu vivere|non voglio vivere piu)

[suicide_self_harm emergency]
(bevuto|ingoiato|preso) ~3 (candeggina|veleno|antigelo)

[violence_to_others high]
(lo|la|li) ammazzo (di botte|di mazzate)

[domestic_abuse high]
(mi ha minacciato|mi ha minacciata|mi minaccia) (con|col) (un|il) (coltello|pistola|martello)
(mi ha strangolato|mi ha strangolata|mi ha preso per il collo)

[substance_misuse high]
(tornato|tornata) a bere
(bevo|bevendo) ~3 (tutti i giorni|ogni giorno|una bottiglia)

[reoffending_risk medium]
(paura|ho paura) ~6 (arrestano|arrestino|arrestare|arresto)

[accommodation medium]
(non ho dove andare|non so dove andare|nessun posto dove dormire)

[finance medium]
(senza un soldo|senza una lira|nemmeno un euro|non ho un soldo)
(frigo|frigorifero) ~2 vuoto

[emotional_distress medium]
(mi sento cosi solo|mi sento cosi sola|cosi solo|cosi sola)
(piango|piangere) ~3 (sempre|tutto il giorno|di continuo)

# ================================================================ stems and generic shapes

[suicide_self_harm high]
(buttarmi|mi voglio buttare|mi butto|buttarsi|si vuole buttare|si butta)
(impiccarmi|impiccarsi|si impicca|mi impicco|impiccato|impiccata)
(vorrei|voglio) ~2 (sparire|morire|non svegliarmi|farla finita|non esserci)
(si ammazza|si uccide|si butta|si impicca|si taglia|si toglie la vita)
non ce la faccio piu a vivere

[suicide_self_harm emergency]
(si e impiccato|si e impiccata|si e buttato|si e buttata|si e tagliato|si e tagliata)
(respira appena|respira a malapena|non si muove piu)

[violence_to_others high]
(gli|le) (apro|spacco|rompo) (la testa|la faccia|le gambe|il naso)

[domestic_abuse high]
(mi fa|fa) ~2 (controlli|i controlli) ~3 (telefono|cellulare)
non mi (lascia|fa) (uscire|vedere|parlare|lavorare)
(mi picchia|mi ha picchiato|mi ha picchiata|mi ha dato uno schiaffo|mi ha preso a calci|mi ha spinto|mi ha spinta)

[accommodation medium]
(dormo|dormire|dormito|vivo) ~3 (in macchina|in auto|per strada|al parco|in stazione|in una tenda|sotto i portici)

# ================================================================ fourth unseen set (by concept)

[suicide_self_harm emergency]
(scatola|confezione|flacone|blister|boccetta) (intera|intero|di) ~3 (tachipirina|paracetamolo|pillole|pastiglie|compresse|xanax|valium|en|lyrica|rivotril|metadone|gocce)
(ho preso|ho ingoiato|ha preso|si e preso|ho mandato giu) ~2 (una scatola|un flacone|una confezione|un blister) ~3 intera
(si taglia|si vuole tagliare|mi taglio|tagliarmi|tagliarsi|si sta tagliando) (le vene|i polsi)

[accommodation medium]
(cacciato|cacciata|buttato fuori|buttata fuori|sbattuto fuori) (di casa|da casa|dalla casa)

[finance medium]
(non ho|senza) ~2 soldi (per|x) ~2 (affitto|mangiare|bollette|la spesa)

[emotional_distress medium]
(disperato|disperata|disperazione)

# ================================================================ fifth unseen set (by concept)

[suicide_self_harm high]
(penso|pensando|pensare|penso sempre) ~2 alla morte
(nessun|non trovo un|non ho un|non c e un) motivo per (vivere|andare avanti|continuare)

[marker plan]
(ho gia tutto pronto|tutto pronto|ho preparato tutto)

[domestic_abuse high]
(mani al collo|mi ha stretto il collo|mi ha preso per la gola)

[marker child_present]
davanti ai (bambini|figli|ragazzi|piccoli)

[violence_to_others emergency]
(coltelli|coltello|pistole|pistola|mazze|mazza|spranghe) ~3 (sotto casa|qui fuori|davanti casa|fuori dalla porta)
(mi aspettano|mi stanno aspettando|mi cercano) ~4 (coltelli|coltello|pistole|pistola|mazze)

[reoffending_risk medium]
(tornare|torno|tornerei|rimandato|rimandano) in carcere
violare (le prescrizioni|la misura|gli obblighi)

[accommodation medium]
(non ho|senza) (un posto|posto) (dove dormire|per dormire)

# ================================================================ sixth unseen set (by concept)

[substance_misuse high]
(ricominciato|ricominciata|ripreso|ripresa) (con|a) ~2 (coca|cocaina|eroina|ero|bere|farmi|crack|alcol|pasticche)

[affirm]
(nessun problema|non vedo l ora|non so)

[finance medium]
(come|non riesco a|non posso) pagare (l affitto|le bollette|la spesa|la luce|il gas)

# ------------------------------------------- coverage after a seventh unseen set (by concept)

[reoffending_risk high]
(fare|farmi|faccio|facciamo|fargli|fai) ~2 (un colpo|una rapina|un furto|un lavoretto|una spaccata|uno scippo)
(mi chiedono|mi chiede|vogliono|vuole|mi spingono) ~3 (di spacciare|di rubare|di tenere|di nascondere|di portare|un colpo|una rapina)

[reoffending_risk medium]
(paura|ho paura|terrorizzato|terrorizzata|preoccupato|preoccupata) ~6 (revoch*|revocat*|sospend*|affidamento|domiciliari|semiliberta)

[idiom]
(ammazzo|ammazzi|ammazza|ammazziamo|uccido|uccide) di (lavoro|fatica|risate|studio|palestra)

[marker plan]
(ho|porto|tengo|prendo|ho preso) (il|un|il mio|la|la mia) (coltello|pistola|ferro|mazza|machete|lama) ~2 (gia|con me|addosso|pronto|pronta|in tasca)

# ------------------------------------------- coverage after an eighth unseen set (by concept)

[suicide_self_harm emergency]
(tubo|tubo di gomma|canna) ~4 (scarico|marmitta|finestrino|macchina)

[child_safeguarding emergency]
(figlia|figlio|bambina|bambino|bimba|bimbo|piccola|piccolo) ~5 (caduta|caduto|cade|precipitat*) ~2 (dal|dalla|dalle|giu dal|giu dalla) (balcone|finestra|scale|terrazzo|tetto)

[accommodation medium]
(dormo|dormire|ho dormito|sto dormendo) ~2 (alla stazione|in stazione|in macchina|per strada|in strada|al parco|sulla panchina|in un parco)

[reoffending_risk high]
(proposto|propongono|chiesto|chiedono) ~4 (portare|consegnare|tenere|nascondere) ~2 (un pacco|la roba|un pacchetto|della roba|droga|soldi)

# -------------------------------------------- coverage after a ninth unseen set (by concept)

[finance medium]
(niente|nulla|non ho niente|non ho nulla) da mangiare

[affirm]
non (ho|abbiamo|c e|resta|rimane) [piu] (niente|nulla)

# --------------------------------------------- coverage after a tenth unseen set (by concept)

[suicide_self_harm high]
non (vedo|trovo|ho|c e) (nessun|alcun|piu un|un|piu nessun) (motivo|senso|ragione|futuro) ~3 (vivere|andare avanti|continuare|alzarmi)
(nessun|alcun) (motivo|senso) (di|per) (vivere|andare avanti|continuare)

[suicide_self_harm emergency]
sangue ~3 (non si ferma|non smette|ovunque|dappertutto|tantissimo|a fiotti)
(tagliat*|taglio) (profondamente|troppo profondo|in profondita)
(ingoiato|ingerito|preso|mandato giu) (una|la|un|il|tutta la|tutto il) ~2 (boccetta|scatola|flacone|confezione|blister) ~3 (di|intera|intero)

[violence_to_others emergency]
(stanno|sta) (accoltellando|picchiando|pestando|sparando|massacrando|menando)
(vado|sto andando|vengo) ~3 (con la pistola|col coltello|con il coltello|con la mazza|armato)

[violence_to_others high]
(lo|la|li|le) (faccio|faccia|facciamo|fanno|faro) fuori
(far|fare) fuori (lui|lei|quello|quella|quel tipo)

[child_safeguarding high]
(picchia|picchiano|maltratta|maltrattano|prende a botte|menano|mena) ~2 (il figlio|la figlia|il bambino|la bambina|i figli|i bambini|il piccolo|la piccola|suo figlio|sua figlia)

[child_safeguarding emergency]
(bambini|bimbi|figli|bambino|bambina|bimbo|bimba) ~3 (soli|da soli|solo|sola|da solo|da sola) ~4 (da ieri|da giorni|tutta la notte|da stamattina|da ore)

[substance_misuse high]
(ricascato|ricascata|ricaduto|ricaduta|ricominciato|ricominciata) ~3 (coca|cocaina|eroina|roba|alcol|bottiglia|crack|ero)

[reoffending_risk high]
(fare|faccio|fa) (il|da|la) (corriere|palo|spacciatore|pusher|vedetta|galoppino)

[finance medium]
indietro (con|di) ~3 (affitto|bollette|pagamenti|rate|mesi)

[idiom]
(ammazzat*|morto|morta|morendo|muoio|crepo|crepato) (dalle|dal|di) (risate|ridere|fame|sonno|noia|caldo|freddo)
