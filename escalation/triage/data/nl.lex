# Dutch lexicon of the helpline's triage (The Hague). Format: see README.md in this folder.
# Straattaal and app-taal included: "mn" = mijn, "ff" = even, "skeer" = blut, "wout" = politie.

[detect]
ik je jij de het een niet mn mijn zn en van dat wat maar heb ben zijn voor met op naar hoe nog
ook wel er al aan bij dan als kan wil moet weet geen niks echt toch hoor ff zo zit gaat

[boundary]
maar en omdat hoewel

[normalise]
mn = mijn
m = mijn
zn = zijn
ff = even
n = een
t = het
k = ik
ns = eens
nie = niet
nix = niks
wanneer = wanneer
vanavnd = vanavond
vannacht = vannacht
aub = alsjeblieft
pls = alsjeblieft

# ---------------------------------------------------------------- suicide and self-harm

[suicide_self_harm high]
zelfmoord*
suicid*
suïcid*
zelfdoding
(mezelf|mijzelf) (van kant|om het leven|dood|iets aan)
mezelf ~3 (van kant maken|ophangen|doodmaken|wat aandoen|iets aandoen)
(mezelf|mijzelf) ~2 (aandoen|pijn doen)
(van kant|om het leven) ~2 (maken|brengen)
zich ~3 (van kant|om het leven|ophangen|doodmaken)
(er een eind aan|een einde aan|een eind aan) ~2 (maken|mijn leven|het leven)
(eind|einde) aan (maken|mijn leven)
(wil|wou|zou) ~3 (dood|er niet meer zijn|niet meer leven|niet meer wakker)
(er niet meer zijn|niet meer leven|niet meer wakker worden|niet meer wakker)
(ben|zou) ~3 (beter af|beter zijn) ~3 (zonder mij|als ik er niet)
(iedereen|ze|familie|kinderen) ~3 beter af zonder (mij|me)
beter (als|dat) ik er ~3 niet [meer] ben
(er|hier) ~2 niet meer (ben|zou zijn|lang|zijn)
(niet|nie) meer lang (hier|er|zijn|ben|leef)
niet ~4 (hier|er) nog lang (ben|zijn|blijf|leef)
(zie|zag) het ~3 niet meer zitten
(kan|trek) (het|dit) niet meer
(ik kan niet meer)
(snijden|snij|sneed|gesneden|kras|krassen|gekrast) ~3 (mezelf|mijzelf|armen|arm|polsen|pols)
(mezelf|mijzelf) ~3 (gesneden|snijden|gekrast|krassen|pijn doen|pijn gedaan|verwond|branden|gebrand|slaan)
(ophangen|ophang|opgehangen|opknopen)
(springen|spring) (voor|van|vanaf|in) ~3 (trein|brug|dak|flat|pier|water)
(poging|geprobeerd) ~3 (zelfmoord|mezelf|dood)
(hoeveel|aantal) ~3 (paracetamol|pillen|tabletten) ~4 (nodig|dood|genoeg)
(stemmen|stem) ~4 (mezelf|pijn|dood)
(gedachten|denk|denken) ~3 (aan|over) ~2 (zelfmoord|dood|er een eind aan|een einde|mezelf)
done met alles
klaar met (alles|het leven|leven)

[suicide_self_harm emergency]
(sta|zit|ben|staan) ~3 (op|bij|aan) (de|het) (brug|pier|dak|spoor|rand|flat|kade)
(op|bij) het spoor
(al|alle|heel|hele|een hele|mn|mijn) ~2 (pillen|tabletten|medicijnen|strip|strips|doosje|doosjes) ~3 (ingenomen|genomen|geslikt|op)
(pillen|tabletten|medicijnen|antidepressiva) ~3 (ingenomen|geslikt)
(ben|zit) mezelf ~2 (aan het snijden|te snijden|aan het krassen)
(aan het snijden|bloed stopt niet|blijft bloeden|bloed overal)
ik spring
(touw|strop) ~3 (klaar|hangt|om mijn nek)

# ------------------------------------------------------------------- violence to others

[violence_to_others high]
(steken|steek|neersteken|neerschieten|schieten|afmaken|vermoorden|kapotmaken|slopen|in elkaar slaan|in elkaar trappen) ~2 (hem|haar|ze|die|iemand)
(hem|haar|ze|die|iemand) ~3 (steken|neersteken|neerschieten|afmaken|vermoorden|kapot slaan|in elkaar slaan|in elkaar trappen|doodmaken|slopen)
maak ik hem af
(sla|trap|steek|schiet) ik (hem|haar|ze) ~2 (dood|kapot|neer|in elkaar)
(drang|neiging|zin) om ~3 (iemand|hem|haar) ~3 (pijn|slaan|steken|aan te vallen)
(bang|schrik) voor wat ik ~3 (doe|ga doen)
(vechtpartij|gevecht|rellen|knokpartij|steekpartij|schietpartij)
(mes|pistool|wapen|vuurwapen|blade|machete) ~3 (getrokken|tevoorschijn|bij zich|op zak)

[violence_to_others emergency]
(vechtpartij|gevecht|knokpartij) ~5 (mes|pistool|wapen|machete|nu|buiten)
(staat|staan|zit) ~4 (voor de deur|bij de deur|buiten) ~3 (met een|met) (mes|pistool|hamer|knuppel|wapen)
ik ga hem nu

# ----------------------------------------------------------------------- domestic abuse

[domestic_abuse high]
(hij|zij|ze|die) (me|mij|haar) ~2 (slaat|sloeg|schopte|schopt|duwde|duwt|wurgde|wurgt|geslagen|mishandelt)
(vriend|vriendin|man|vrouw|partner|ex|hij|zij|ze|vader|vriendje) ~3 (slaat|sloeg|geslagen|schopt|schopte|duwt|duwde|wurgt|wurgde|bedreigt|bedreigde|mishandelt|mishandeld|trapt) ~3 (me|mij|haar|mn)
(checkt|controleert|leest|bekijkt|volgt) ~2 (mijn|me) (telefoon|berichten|locatie)
(pakt|neemt|houdt|beheert) ~2 (mijn|me) (uitkering|geld|pinpas|loon|bankpas) ~2 (af|in|vast)
(mag|mocht) ~3 (mijn|me) (zus|moeder|familie|vrienden|vriendinnen|broer) ~2 niet [meer] zien
(mag|mocht) (niet|nergens) [meer] (naar buiten|weg|de deur uit)
(bang|doodsbang) voor (hem|haar|mijn vriend|mijn man|mijn ex)
(blauwe plekken|blauw oog)
(ik|heb) ~3 (geslagen|geduwd|geschopt|gewurgd|beetgepakt|een klap gegeven) ~3 (vriendin|vrouw|partner|ex|haar)
(vriendin|vrouw|partner|haar) ~3 tegen de muur geduwd
hulp ~3 (mijn|mn) (agressie|woede|boosheid)
(huiselijk geweld|relationeel geweld)
(dreigt|gedreigd|dreigde) ~4 (vermoorden|pijn|kinderen|afpakken)

[domestic_abuse emergency]
(trapt|schopt|beukt|ramt) ~2 de deur ~2 (in|kapot)
(slaat|mishandelt|wurgt) ~3 (me|haar|zijn vrouw) ~2 nu
(ik ga je|gaat me|gaat mij) ~2 vermoorden
heb me opgesloten in de (badkamer|wc|slaapkamer)

# ------------------------------------------------------------------- child safeguarding

[child_safeguarding high]
(kinderen|kids|baby|zoontje|dochtertje|kleintje|peuter) ~5 (alleen thuis|alleen|zonder toezicht|niks gegeten|niets gegeten|honger)
(laat|liet|gelaten) ~3 (kinderen|kids|baby) ~3 (alleen|buiten|tot middernacht)
tot middernacht buiten
(niks|niets) gegeten
(laten|laat|lieten) hem ~3 (bewaren|dealen|rijden|verkopen|vasthouden)
(slaat|sloeg|opsluit|sluit) ~2 (haar|hem) ~3 (op|in) ~2 (kamer|kast)
(geschud|door elkaar geschud) ~2 (baby|hem|haar)
(kindermisbruik|kindermishandeling|verwaarlozing|verwaarloosd)

# -------------------------------------------------------------------- substance misuse

[substance_misuse medium]
(zin|trek|wil zo graag|wil echt|wil heel graag|snak naar) ~3 (gebruiken|een biertje|biertje|een drankje|borrel|een lijn|een jointje|drinken|drank|coke|wiet|te gebruiken|een lijntje|heroine|in een pil)
(zin om te gebruiken)
krijg ~3 (trek|zin)
(liep|loop|kwam) ~2 langs ~3 (dealer|oude adres|waar ik kocht)
(oude|mijn) dealer ~3 (appte|belde|stuurde)

[substance_misuse high]
(zit|ben|begonnen) ~3 weer ~3 (aan de|te|aan het) (heroine|coke|crack|gebruiken|drinken|basen|drank|pillen)
(weer|opnieuw) (gebruikt|gebruiken|aan het gebruiken|aan de drank|aan de heroine|aan de coke)
(teruggevallen|terugval|gerelapst|relapse)
(aan het basen|basen|chinezen|spuiten)
(slik|neem|nam) ~3 (oxazepam|benzos|pillen|methadon|lyrica|rivotril) ~3 (bij|erbij|met|om)
(tolerantie|tollerantie) ~3 (weg|laag|minder)
(overdosis|od) ~3 (risico|krijgen|gevaar)

[substance_misuse emergency]
(ademt|adem) ~3 (niet|nauwelijks|bijna niet|slecht)
(lippen|gezicht) ~3 (blauw|paars|grauw)
(wordt|word) ~2 niet [meer] [goed] wakker
(bewusteloos|buiten bewustzijn|epileptische aanval|stuiptrekken|schokt)
(hele|een hele|heel) (strip|doos) ~3 (genomen|geslikt|ingenomen)
(genomen|geslikt|gebruikt) ~4 (met|en) ~2 (wodka|drank|alcohol|bier)
(voel|voelde) ~2 (mijn|mn) (armen|benen|gezicht) niet meer
(te veel|teveel) (genomen|gebruikt|gesnoven)

# ------------------------------------------------------------------------ reoffending

[reoffending_risk medium]
(bang|angst|zenuwachtig|paniek|bezorgd) ~6 (bak|bajes|terug de bak|gevangenis|terug naar binnen|herroep*|terugzetten|doorzetten|schending|geschonden)
(terug de bak|terug naar de bak|terug naar binnen|de bak in)
(voorwaarden|voorwaarde) ~3 (geschonden|schenden|overtreden)
(te laat|gemist) ~4 (enkelband|reclassering|afspraak|binnen)
(enkelband|band) ~4 (piept|knippert|rood|gaat af)
(oude|mijn oude) (vrienden|jongens|maten|matties) ~5 (bellen|appen|blijven|komen|willen)
(aangehouden|gefouilleerd|staande gehouden|opgepakt)
(doorzetten|doorgezet) naar het (om|ov)

[reoffending_risk high]
(pakketje|pakket|pakketjes) ~3 (rijden|wegbrengen|afleveren|bezorgen)
(denk|ga|gaat) ~3 (dat ik het ga doen|het doen|doe ik het)
(beroven|overvallen|inbreken|dealen|stelen|roven) ~3 (ga|gaan|wil|denk)
(ga|gaan|wil|denk) ~3 (beroven|overvallen|inbreken|dealen|stelen|roven)
(knip|knippen|haal|halen|snij) ~3 (enkelband|band) ~2 (eraf|af|door)
(boeit|maakt) ~3 niet ~3 (contactverbod|gebiedsverbod|voorwaarden|enkelband)
(contactverbod|gebiedsverbod|locatieverbod) ~8 (ga|toch|boeit)
(makkelijk|snel) geld

# ----------------------------------------------------------------------- accommodation

[accommodation medium]
(geen|nergens) ~2 (slaapplek|slaapplaats|dak boven|plek om te slapen)
(kan|weet) ~2 nergens (heen|slapen|naartoe)
(op straat|dakloos|thuisloos)
(uit|uit zn|uit mijn) ~3 (huis|osso|woning) ~2 (gegooid|gezet)
(eruit gegooid|op straat gezet|buitengezet)
(huisuitzetting|uitzetting|ontruiming|ontruimd)
(sloten|slot) ~3 (vervangen|veranderd)
(nachtopvang|opvang|daklozenopvang) ~4 (vol|zit vol|geen plek)
(woning|huis|kamer) ~3 (niet doorgegaan|ging niet door|weg)
(in een portiek|buiten geslapen|op een bankje)
waar moet ik ~3 slapen

# ------------------------------------------------------------------------------ finance

[finance low]
(schuldhulp*|budgetcoach|schuldsanering|uitkering*)

[finance medium]
(geen geld|blut|skeer|platzak|geen cent|geen euro)
(uitkering|toeslag|bijstand|loon) ~3 (stopgezet|gestopt|ingetrokken|stop|geblokkeerd)
(heb|nog) ~2 # euro ~3 (tot|over|voor)
(geen eten|niks te eten|niets te eten|lege koelkast)
(deurwaarder|incasso|schulden|achterstand|aanmaning|cjib|boete|boetes|naheffing)
(gas|stroom|licht|water) ~3 (afgesloten|afgesloten|eraf)
(huur|rekeningen) ~4 (betalen|betaald|achter|niet)
(kan|kon) ~3 niet betalen
(wanhopig)

# -------------------------------------------------------------------- emotional distress

[emotional_distress medium]
(paniek|paniekaanval|paniekaanvallen|angstaanval|in paniek)
(angstig|bang|onrustig|zenuwachtig|gestrest|gespannen)
(eenzaam|alleen op de wereld|niemand belt)
(somber|depressief|neerslachtig|wanhopig|leeg)
(somber|depressief|down|kut|klote|rot|slecht) ~2 (voel|voelde|gevoel|vandaag|dag)
(voel|voelde) ~3 (kut|klote|rot|slecht|somber|down|leeg|waardeloos|eenzaam|alleen|mislukt)
(nachtmerries|nachtmerrie|flashbacks)
(kan niet slapen|slaap niet|niet slapen)
(boos|woedend|kwaad|razend|pissig)
(ontploffen|ontplof|door het lint)
(trillen|tril|hartkloppingen|zweet)
(schaam|schuldgevoel|schuldig)
(geen lucht|krijg geen adem)
(wanhopig|hopeloos|overweldigd)

# ------------------------------------------------------------------------------ employment

[employment low]
(cv|sollicitatie*|solliciteren|vacature|baan|werk|werkgever|collega|baas|opleiding|cursus|stage|vog|contract|dienst|proefdag|loonstrook)

[employment medium]
(ontslagen|ontslag|eruit gezet op mijn werk)

# ----------------------------------------------------------------------------- markers

[marker means]
(heb|liggen|ligt|gespaard|verzameld|klaar) ~2 (pillen|tabletten|touw|strop|paracetamol|scheermes|mesjes)
(pillen|tabletten|touw|strop|paracetamol) ~3 (klaar|klaarliggen|klaargelegd|gespaard|hier)
(brug|pier|spoor|trein|dak|kade)
(van|op|vanaf) (de|het) (flat|water)
💊

[marker plan]
(ik spring|ga springen|ga me ophangen|ga het doen|doe het)
(besloten|plan|gepland)
(brief|afscheidsbrief) ~2 (geschreven|schrijven)
(weet|weten) waar hij (zit|woont|is)
(ben|ga) ~2 (onderweg|op weg|naar hem toe)

[marker time]
(vannacht|vanavond|straks|zo meteen|dadelijk|vandaag nog)

[marker goodbye]
(afscheidsbrief|brief geschreven|brief voor)
(zeg|zeg het|vertel) ~2 tegen ~3 (dochter|zoon|kinderen|moeder|familie) ~3 (spijt|sorry|hou)
(vaarwel|afscheid nemen|doei allemaal)
(stuur|bel) ~2 geen (politie|ambulance|iemand)

[marker weapon]
(mes|messen|pistool|vuurwapen|wapen|hamer|knuppel|machete|bijl|🔪|🔫)

[marker happening]
(op dit moment|net nu|gebeurt nu|nu meteen)
(voor|aan|bij) (de|mijn|onze) (deur|voordeur)
(bonkt|bonken|schreeuwt|schreeuwen|krijst|gillen)
(hoor|horen) ~3 (alles|door de muur|schreeuwen)
(sinds vanochtend|kom niet meer terug)

[marker child_present]
(kinderen|kids|baby|zoontje|dochtertje|kleintje|zoon|dochter) ~4 (zagen|zag|boven|thuis|erbij|hier|huilen|krijst|slapen)
(waar de kinderen bij|waar de kids bij|voor de kinderen)

[marker overdose]
(overdosis|od)

# ---------------------------------------------------------------------------- modifiers

[habit]
vroeger

[negation]
niet
nooit
geen
(niks|niets)

[past]
(jaren geleden|jaar geleden|lang geleden)
vroeger
(verleden tijd|achter me)
toen ik (jong|jonger|klein|tiener)

[present]
(weer|nu|vanavond|vannacht|vandaag|laatst|de laatste tijd|nog steeds|opnieuw)

[quote]
(liedje|songtekst|film|serie|boek|citaat|meme)

[idiom]
(lach|lachen|lachte) ~2 (me|mij|ze|zich) ~2 (dood|kapot|een breuk|rot)
(ga|gaat|gingen|ging) ~3 dood van (het lachen|de verveling|de honger|de kou|de dorst)
(dood|kapot) van (het lachen|de verveling|de honger|de kou)
(bijna|haast) dood van het lachen
kan hem wel (vermoorden|wurgen|schieten) ~3 (😂|🤣|haha|lol)
maakt me gek ~2 (haha|lol|😂)
(ik schaam me kapot)
(maakt eigenlijk niet uit|maakt niet uit)
(beetje|een beetje|wat) (zenuwachtig|nerveus|bang|gestrest)

[third_party]
(mijn|mn) (vriend|vriendin|neef|nicht|broer|zus|maat|mattie|moeder|vader|buurman|buurvrouw|celmaat)
(hij|zij|ie) (zegt|zei) ~3 (gaat|wil)

# ================================================================ broader coverage, by concept

[suicide_self_harm high]
(geen uitweg|zie geen uitweg|geen uitweg meer|zie het einde niet)
(niemand|geen mens) (zou|zal) ~2 (missen|merken|iets merken)
niet meer (wil|wou|wilde) leven
(wil|wou) niet meer leven
(ben|voel me) ~2 (een last|tot last)
(snellste|makkelijkste|pijnloze|beste) manier om ~3 (dood|te sterven|eruit te stappen|er een eind)
(opgezocht|googelen|gegoogeld|zoeken) ~4 (dood|zelfmoord|dodelijke dosis|pillen)
(eruit stappen|uit het leven stappen|ertussenuit knijpen)
(voor de trein|onder de trein|van het dak|van de flat) ~2 (springen|spring|gooien)

[suicide_self_harm emergency]
(al|alle|een hele|hele|mn|mijn) ~2 (slaappillen|slaaptabletten|pijnstillers|antidepressiva|medicijnen|oxazepam|paracetamol|pillen|tabletten) ~3 (genomen|ingenomen|geslikt|op)
(bleekmiddel|gif|antivries) ~3 (gedronken|genomen|geslikt)

[violence_to_others high]
(hem|haar|ze|die) ~2 (kapot maken|kapotmaken|afmaken|neersteken|doodmaken|in elkaar slaan|opensnijden)
(opzoeken|pakken) en ~3 (kapot|af|neer|dood)

[domestic_abuse high]
(heeft|had) (me|mij) ~3 (gewurgd|geslagen|geschopt|mishandeld|geduwd|verkracht|opgesloten|bedreigd)
(sluit|sloot) (me|mij) op

[substance_misuse high]
(weer|elke dag|iedere dag) ~2 aan de (drank|fles|coke|heroine|pillen)
elke dag een fles

[accommodation medium]
(uit|uit mijn|uit zn|uit het|uit de) ~2 (kamer|huis|osso|woning|opvang) ~2 (gezet|gegooid|getrapt)
(weet|weet ik) niet waar ik (heen|naartoe|moet slapen|kan slapen) ~2 (moet|kan)

[emotional_distress medium]
(verdrietig|zo alleen|heel alleen|moet steeds huilen|huil de hele tijd)

# ================================================================ stems and generic shapes

[suicide_self_harm high]
(hou|houd|kan) het niet [meer] vol
nooit meer wakker
(wil|wou) ~3 (dood|springen|ophangen|eruit stappen)
ga ~2 (springen|me ophangen|eruit stappen)
(zichzelf|mezelf|zich) ~3 (opgehangen|ophangen|doodmaken|van kant)

[suicide_self_harm emergency]
(snij|kras|brand) ~3 (nu|nou|op dit moment)
(geslikt|ingenomen|genomen) ~4 (reageert niet|wordt niet wakker|ademt niet|bewusteloos)
(heeft|had) ~3 (pillen|tabletten|medicijnen) ~3 (geslikt|genomen|ingenomen) ~5 (niet meer|reageert|wakker)

[violence_to_others high]
(sla|steek|schiet|schop|trap|maak) (ik|k) (hem|haar|ze|die) ~2 (dood|neer|kapot|af|lens|in elkaar)

[violence_to_others emergency]
(slaat|gooit|trapt|schopt) ~2 (de|mn|mijn|onze) (ramen|raam|deur|auto) ~2 (in|kapot)

[domestic_abuse high]
(slaat|sloeg|schopt|schopte|wurgt|wurgde|duwt|duwde|trapt|trapte|knijpt|mishandelt) (me|mij)
(blauwe plekken|blauw oog|kapotte lip)

[domestic_abuse emergency]
(ex|man|vriend|hij|zij) ~8 (slaat|gooit|trapt) ~3 (ramen|raam|deur) ~2 (in|kapot)

[accommodation medium]
(slaap|slapen|sliep|geslapen) ~5 (auto|straat|park|portiek|bankje|station|tent|buiten)

[reoffending_risk medium]
(terugsturen|terug sturen|teruggestuurd|terug moet|terug naar) ~3 (gevangenis|bak|bajes|binnen|cel)

# ================================================================ fourth unseen set (by concept)

[suicide_self_harm emergency]
(hele|een hele|heel|een heel) (pot|potje|strip|strips|doos|doosje|flesje) ~3 (pillen|tabletten|medicijnen|slaappillen|paracetamol|oxazepam) ~3 (leeggegeten|leeg|opgegeten|ingenomen|genomen|geslikt)

[violence_to_others emergency]
(staan|staat|zijn|is) ~5 (mes|messen|wapen|wapens|pistool|knuppel|knuppels|machete) ~5 (deur|huis|buiten|beneden)
(voor de deur|buiten|beneden) ~4 met ~2 (mes|messen|wapens|pistool|knuppels)

[substance_misuse high]
(terugval|teruggevallen) ~4 (coke|heroine|drank|gebruikt|gesnoven|gespoten)
weer ~2 (coke|heroine|speed|pillen) ~2 (gesnoven|gebruikt|genomen|gespoten)

[accommodation medium]
(uit huis|uit mijn huis|op straat) ~2 (gezet|getrapt|gegooid)

[finance medium]
(schulden|schuld) ~4 (deurwaarder|incasso|betalen|kan niet)

[emotional_distress medium]
(gestrest|stress) ~4 (niet meer|kan niet|slapen)

# ================================================================ fifth unseen set (by concept)

[marker goodbye]
afscheid (genomen|nemen) van ~2 (iedereen|jullie|mijn|de)

[marker plan]
(vanavond|vannacht|vandaag) is het (klaar|voorbij|gedaan|zover)

[suicide_self_harm high]
(gedachten|denk) ~3 (mezelf|mijzelf) ~3 (aan te doen|iets aandoen|pijn te doen|van kant)

[domestic_abuse high]
(hij|zij|ie|mijn man|mijn ex|mijn vriend) ~4 (me|mij) (afmaakt|vermoordt|doodmaakt|kapotmaakt|gaat vermoorden|gaat afmaken)

[marker happening]
(mes|messen|pistool|hamer) ~2 (gepakt|getrokken|in zijn hand|in haar hand|in de hand)

[child_safeguarding high]
(dochter|zoon|kind|kinderen|zoontje|dochtertje) van # ~4 alleen thuis

[substance_misuse high]
(weer|opnieuw) ~3 (gaan blowen|gaan drinken|gaan gebruiken|blowen en drinken)
weer (gaan|begonnen met) (blowen|drinken|gebruiken|snuiven)

[child_safeguarding emergency]
(dochter|zoon|kind|zoontje|dochtertje|kleintje) van (1|2|3|4|5) ~4 alleen
(baby|peuter|dreumes) ~4 alleen thuis

# ================================================================ sixth unseen set (by concept)

[suicide_self_harm high]
(het|alles) hoeft ~3 niet meer
(polsen|pols|aderen) ~2 (doorsnijdt|doorsnijden|doorgesneden|opensnijden|opengesneden)

[suicide_self_harm emergency]
(snijdt|snij|sneed) ~3 (polsen|pols|aderen) ~2 door
(polsen|pols|aderen) (doorsnijdt|doorsnijden|doorgesneden)

[marker plan]
(touw|strop|pillen|tabletten|scheermesjes) ~2 (gekocht|besteld|gehaald|gespaard|verzameld)

[child_safeguarding high]
(slaat|sloeg|schopt|schopte|mishandelt|knijpt) (de|mijn|onze|haar|zijn) (kinderen|kids|zoon|dochter|kind|baby|kleine)

[substance_misuse high]
(weer|opnieuw) ~3 (lijntje|lijn|pil|pilletje|shot|jointje|fles|biertjes) ~2 (gepakt|genomen|gedaan|gesnoven|gedronken)

[accommodation medium]
waar ik ~2 (moet|kan) slapen

[affirm]
(geen idee|geen flauw idee|geen probleem|geen zorgen|niet normaal|niet te doen)

[domestic_abuse high]
(vrouw|man|vriend|vriendin|partner|ex|moeder|vader) (slaat|sloeg|mishandelt|schopt) (de|onze|mijn|haar|zijn) (kinderen|kids|zoon|dochter)

# ------------------------------------------- coverage after a seventh unseen set (by concept)

[domestic_abuse high]
(bepaalt|beslist|bepaalde|beslist) ~2 (wie ik|waar ik|wat ik|met wie ik|wanneer ik)
(pakt|neemt|nam|pakte|houdt|hield) ~2 (mijn telefoon|mijn geld|mijn pinpas|mijn bankpas|mijn sleutels|mijn paspoort)
(mag|mocht) ~3 (niemand|niet naar buiten|de deur niet uit|mijn familie niet|mijn moeder niet|mijn vrienden niet)

[marker child_present]
(kinderen|kids|baby|zoontje|dochtertje|kleintje|zoon|dochter) ~3 (zien|zien alles|horen|hoorden|zagen het|staan erbij|waren erbij|zijn erbij)

[marker plan]
(heb|had|neem|pak|pakte) (mijn|een|het|me) (mes|wapen|pistool|knuppel|hamer|honkbalknuppel|machete) ~2 (al|bij me|klaar|mee|op zak)

# ------------------------------------------- coverage after an eighth unseen set (by concept)

[accommodation medium]
(huisbaas|verhuurder|woningbouw|corporatie) ~4 (zet me eruit|eruit|opzeggen|opgezegd|uitzetten|ontruim*)
(zet|zetten|gooit|gooien) me ~2 (eruit|op straat)

[child_safeguarding high]
(neefje|nichtje|zoontje|dochtertje|kind|kinderen|broertje|zusje|kleine) ~4 (wordt|worden|werd|werden) ~2 (geslagen|mishandeld|geschopt|opgesloten|verwaarloosd)

[domestic_abuse high]
(vriendin|vriend|man|vrouw|ex|partner|vriendje) ~5 (bedreigd|bedreigt|bedreigde|dreigt|dreigde) ~3 (mes|vermoorden|slaan|doodmaken|pakken|kapotmaken)
(vriendin|vriend|man|vrouw|ex|partner|vriendje) ~6 (mes|wapen|pistool|schaar) ~2 (bedreigd|bedreigt|bedreigde)

[violence_to_others high]
(sla|slaan|schop|steek) (hem|haar|ze|die gast|die jongen) ~2 (verrot|in elkaar|kapot|dood|lens|neer|helemaal)
(die gast|die jongen|hij|zij) (gaat eraan|is er geweest|is dood)

[suicide_self_harm emergency]
(heb|heeft|had) ~3 (strip|strips|doos|doosje|pot|potje|alle|al mijn|een hoop|handvol) ~2 (pillen|tabletten|medicijnen|slaappillen|pijnstillers|oxazepam|paracetamol) ~3 (genomen|ingenomen|geslikt|opgegeten)

# -------------------------------------------- coverage after a ninth unseen set (by concept)

[suicide_self_harm high]
(iedereen|ze|jullie|mijn familie|familie|de kinderen|mijn kinderen|de wereld) ~3 beter af ~2 zonder (mij|me)

[reoffending_risk high]
(willen|wil|vragen|vraagt|vroegen) ~3 dat ik ~3 (drugs|dope|coke|wiet|pillen|spul) ~2 (verkopen|dealen|verkoop|ga verkopen|rondbreng|rondbrengen|vervoeren)

[idiom]
kan niet meer (slapen|eten|werken|lopen|wachten|betalen|stoppen met lachen|normaal denken)

[emotional_distress medium]
(ik word gek|word gek|ik draai door|draai door|pieker*|lig te malen|ik flip)

# --------------------------------------------- coverage after a tenth unseen set (by concept)

[suicide_self_harm high]
geen zin [meer] in (het leven|leven|alles|mijn leven)
(brand|brandde|kras|kraste|snij|sneed|bekras|verbrand) (mezelf|mijzelf|me) ~3 (met|weer|als|soms|vaak|wanneer)
(nooit meer|niet meer) wakker (worden|te worden|word)

[suicide_self_harm emergency]
afscheidsbrief*
(heb|heeft|had) ~2 # ~2 (pillen|slaappillen|tabletten|oxazepam|paracetamol|pijnstillers|medicijnen) ~2 (geslikt|genomen|ingenomen|op)
(geslikt|ingenomen) ~3 (pillen|slaappillen|tabletten|pijnstillers|medicijnen)
(polsen|pols|armen|arm) ~2 (opengesneden|doorgesneden|open gesneden|opengehaald)
(overal bloed|bloed overal|bloedt heel erg|bloedt erg|houdt niet op met bloeden|stopt niet met bloeden)
(in de auto|in de garage|in de wagen) ~5 (motor aan|motor draait|motor laten draaien|uitlaat|slang)

[marker goodbye]
(brief|briefje) ~4 (achtergelaten|geschreven|neergelegd|klaargelegd)

[marker plan]
het is (klaar|zover|tijd)

[violence_to_others emergency]
(opwachten|opwacht|wacht hem op|wacht haar op|ga hem|ga naar hem|ga naar haar) ~4 met (een|mijn|mijn een) (knuppel|honkbalknuppel|mes|pistool|hamer|bijl|machete)
(wordt|worden) (hier|nu|buiten) ~2 (gevochten|gestoken|geschoten|geslagen)
(mes|pistool|wapen) (getrokken|tevoorschijn)

[domestic_abuse high]
(hij|zij|ze|mijn man|mijn vrouw|mijn vriend|mijn vriendin|mijn ex) ~4 (bij mijn keel|bij mijn een keel|tegen de muur|van de trap|op de grond|door de kamer) ~2 (gepakt|gegooid|geduwd|gesmeten|geslagen)
(gooit|smijt|gooide|smeet) met (spullen|borden|stoelen|dingen|glazen)
(heb|had) (mijn|mijn een) (vriendin|vrouw|vriend|man|ex|partner) (geslagen|geduwd|gewurgd|geschopt|pijn gedaan)
(sluit|sloot) me op
(neemt|pakt|nam|pakte) (mijn|mijn een) (sleutels|telefoon|pas|paspoort|geld) af

[marker happening]
(staat|is|zijn) nu te (schreeuwen|slaan|gooien|slopen|vechten)

[marker child_present]
(kinderen|kids|baby|zoontje|dochtertje|kleintje|zoon|dochter) ~3 (bang|huilen|gillen|schreeuwen|verstopt)

[child_safeguarding high]
(gedwongen|dwingen|dwingt|moet) ~4 (drugs|dope|coke|wiet|spul) ~2 (verkopen|dealen|vervoeren|rondbrengen)

[substance_misuse emergency]
(blauw aangelopen|blauwe lippen|lippen zijn blauw|lippen blauw|ademt niet|ademt bijna niet|reageert niet|is niet wakker te krijgen)

[reoffending_risk high]
(inbraak|overval|kraak|roof|ramkraak) ~2 (doen|plegen|zetten)
(ga|gaan|wil) ~3 (inbreken|overvallen|beroven|stelen|roven)

[reoffending_risk medium]
(meldplicht|melding|afspraak bij de reclassering) ~3 (gemist|vergeten|niet gehaald|overgeslagen)

[finance medium]
(heb|had|hebben) ~2 geld nodig
