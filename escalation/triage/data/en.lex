# English lexicon of the helpline's triage. Format: see README.md in this folder.
# Text is matched after folding: lower case, no accents, "don't" -> "dont" -> "do not" (see
# [normalise]), "rn" -> "right now". Write phrases in the expanded form.

[detect]
the and i you my me to of it for was just have what when with this that they but are
been got get going can your im am do does did not at our about off

[boundary]
but and though although however because

[normalise]
u = you
ya = you
ur = your
r = are
im = i am
ive = i have
dont = do not
cant = can not
cannot = can not
wont = will not
wouldnt = would not
couldnt = could not
shouldnt = should not
didnt = did not
doesnt = does not
isnt = is not
wasnt = was not
werent = were not
havent = have not
hasnt = has not
aint = am not
gonna = going to
gunna = going to
gona = going to
goin = going
wanna = want to
wana = want to
gotta = got to
tonite = tonight
2nite = tonight
2night = tonight
rn = right now
atm = at the moment
pls = please
plz = please
idk = i do not know
dunno = do not know
tbh = to be honest
ngl = not going to lie
cos = because
coz = because
cuz = because
bc = because
2day = today
2moro = tomorrow
tmrw = tomorrow
tomoz = tomorrow
wiv = with
nothin = nothing
nuffin = nothing
owt = anything
nowt = nothing
luv = love
rite = right
fr = for real
bcoz = because
kil = kill
kll = kill
myslef = myself
myslf = myself
mysef = myself
suiside = suicide
sucide = suicide
wnt = want
want2 = want to
ill = i will
tho = though
hes = he is
shes = she is
m8 = mate
m8s = mates
nite = night
sez = says
enuf = enough
enuff = enough
evrything = everything
evrythin = everything
everythin = everything
nuthin = nothing
bout = about
yday = yesterday
dissapear = disappear
dissappear = disappear
disapear = disappear
hitin = hitting
apointment = appointment
cnt = can not
ths = this
appt = appointment
theyre = they are
youre = you are
thats = that is
whats = what is

# ---------------------------------------------------------------- suicide and self-harm

[suicide_self_harm high]
suicid*
sucide
suicde
kill* (myself|meself)
kill* my self
kms
unaliv*
end (it|things) [all]
end my life
ending (it|things|my)
ending my life
take my [own] life
taking my [own] life
top myself
topping myself
do myself in
want to die
wanna die
want to be dead
wish i (was|were|am) dead
wish i (was|were) (not|never) ~2 (here|born|alive|around)
rather be dead
better off dead
better off without me
better off if i (was|were) (gone|dead)
(better|happier|easier) ~4 if i ~2 (disappeared|died|was gone|were gone|was not here|was not around|was dead|did not exist|vanished)
(disappear|vanish|go away) (for good|forever|for ever)
(had enough|sick|tired) of (life|living|being alive|everything|it all)
not see the point ~2 (anymore|any more|in anything|of living|in living|of anything|in life)
not see a (future|way out)
(can not|can not) keep going
(stockpil*|hoard*|saving|saved|collecting|collected) ~3 (pills|tablets|meds|medication|prescription|paracetamol|co-codamol|codeine|tramadol|sertraline|citalopram|fluoxetine|mirtazapine|amitriptyline|quetiapine|olanzapine|diazepam|zopiclone|pregabalin|gabapentin|lithium|insulin|methadone|antidepressants|sleeping tablets|painkillers|pain killers)
(bought|buying|got|ordered|sorted|tied) (a|the) (rope|noose|charcoal|hosepipe)
(thinking|think|thought) about (jumping|hanging|overdosing|drowning|killing myself|ending it|gassing|throwing myself)
better for everyone if i
(everyone|everybody|they|family|kids) ~3 better off without me
nobody would (miss|notice|care)
no one would (miss|notice|care)
not want to (live|exist|be here|be alive|wake up|go on)
not wanna (live|exist|be here|wake up)
not want to be (here|around|alive) [anymore]
go to sleep and not wake up
never wake up
not care if (i|he|she) (wake|wakes|wake) up
no point (living|in living|being alive|going on|carrying on)
no reason to live
nothing (left|else) to live for
nothing to live for
can not (go on|do this|do it|carry on|take it|take this) [anymore]
can not do (this|it) any more
not be around (much|for|long)
will not be (around|here) ~2 (longer|long)
not [be] here much longer
not think (i will|i am going to) be (around|here) ~3 (longer|long)
not ~2 around much longer
(thinking|thought|thoughts|think) ~3 (ending|end) (it|things|my)
thoughts (of|about) (dying|death|killing|ending)
(cut|cutting|cuts) (myself|meself|my) ~2 (arm|arms|wrist|wrists|leg|legs|skin)
(cut|cutting|cuts) (myself|meself)
(burn|burnt|burned|burning) (myself|meself)
(burn|burnt|burned|burning) my (arm|arms|skin|leg|legs|wrist|wrists|hand|hands|chest)
(hurt|hurting|harm|harming) (myself|meself)
self harm*
selfharm*
self injur*
(hitting|punching|bashing) (myself|meself|my head|my face)
hitting myself
(tried|try|trying|attempted) to (kill|hang|end|top|overdose)
(hang|hanging|hung) (myself|meself)
(overdose|od) on purpose
(how|many) ~3 (paracetamol|pills|tablets) ~3 (take|takes|kill|die|need)
(jump|jumping) (off|in front|from)
throw myself (off|in front|under)
(walk|walking) into the (river|sea|mersey|canal|water)
voices ~4 (hurt|kill|harm) (myself|me)
(kill|harm|hurt) (himself|herself|themselves)
(end|ending) (his|her) (life|own life)
(top|topping) (himself|herself)
(going to|wants to|says he will|says she will|is going to|was going to) jump (off|from|in front|infront|under)

[suicide_self_harm emergency]
(am|sat|sitting|stood|standing|stuck|here|now|waiting) ~3 (on|at|by|near|off|next to) the ~2 (bridge|tracks|railway|railway line|ledge|edge|roof|cliff|pier|platform|level crossing)
(on|at) the top of (the|a) ~2 (multi|multi-storey|car|building|block|flats|bridge)
(at|on) top of (the|a) ~2 (multi|building|block|flats|bridge)
(took|taken|take|swallowed|necked|had|downed) (all|the lot|every|everything) ~4 (pill*|tablet*|meds|medication|paracetamol|co-codamol|methadone|antidepressant*|sleeping|drops|💊)
(took|taken|swallowed|necked) (a load|loads|a box|boxes|both boxes|2 boxes|two boxes|a bottle|a handful|handfuls) of (pill*|tablet*|paracetamol|meds|💊)
(took|taken|swallowed) ~3 (pill*|tablet*|💊) ~4 (ago|minutes|mins|hour)
(taken|took|done) an overdose
taking them now
(am|i) (cutting|burning|hanging) ~2 (now|right now)
(cutting|slicing) ~2 (right now|now)
(will|would) not stop bleeding
not stop bleeding
blood ~2 (everywhere|will not stop)
(bleeding|blood) ~2 (loads|lots|badly|a lot)
(a lot|lots|loads|so much|too much|pool) of blood
engine running
got the razor out
(noose|rope) ~3 (ready|up|tied|round my neck|around my neck)
(am|i) (about|going) to jump
this is goodbye

# ------------------------------------------------------------------- violence to others

[violence_to_others high]
(kill|stab|batter|murder|shank|glass|slash|shoot|strangle|chib) (him|her|them|that|someone|somebody|his)
(going to|gonna|will|i will|ill|swear|swear ill|could) ~2 (kill|stab|batter|murder|shank|shoot|hurt) (him|her|them|someone|somebody|that|the|this|his)
(going to|gonna|will|ill) ~2 (knock|punch|deck|slap|kick|headbutt|nut) (him|her|them) ~2 (out|in|spark|down)
(knock|punch|deck|slap) (her|him|them|the) ~2 (out|in the face|spark)
do (him|her|them) in
(doing|do) the (lad|guy|fella|bloke|man) who
(cave|kick|smash) (his|her|their) (head|face) in
sort (him|her|them) out
(urge|urges) to (hurt|harm|kill|attack|stab|batter|hit)
(picturing|imagining|fantasising about|fantasizing about|dreaming about|thinking about|think about) (hurting|killing|stabbing|battering|attacking|shooting|beating) (him|her|them|the|that|someone|somebody|my)
(want|wanna) to (hurt|kill|stab|batter|hit|attack) (him|her|someone|somebody|them|my)
scared of what (i will|i would|i might|i could|i am going to) do
(going to|gonna) (hurt|hit|attack) (someone|somebody)
(fight|fighting|brawl|ruck|kicking off) ~3 (outside|going on|right now|kicking off|happening|started)
(got|has|had) a (knife|blade|machete|gun|shank) ~3 (out|on him|on her|pulled)
(pulled|pulling) (a|out a) (knife|blade|machete|gun)
(threatening|threatened) to (stab|kill|shoot|hurt|batter) (me|him|her|us)

[violence_to_others emergency]
(outside|at the door|at my door|at the house|at the flat|round the back) ~3 with (a|an) (hammer|knife|bat|machete|gun|blade|axe|crowbar)
(said|says|saying|told me) ~3 (i am|you are) (dead|getting it|getting done)
(fight|brawl) ~3 (kicking off|going on|happening|started) ~6 (knife|blade|machete|gun|bat|hammer|🔪)
(someone|somebody|he|she|they|lad|guy) ~2 (has|got|is) ~2 (knife|blade|machete|gun) (out|pulled)
(am|i) ~2 (on my way|on me way|going round|heading round) ~4 (with|blade|knife|bat|machete|🔪)
(hammer|knife|blade|machete|gun|bat) ~3 (outside|at the door|in the house)

# ----------------------------------------------------------------------- domestic abuse

[domestic_abuse high]
(pushed|grabbed|hit|slapped|punched|shoved|strangled|choked|kicked|headbutted|attacked|hurt|bit|throttled) (my|me) (girlfriend|partner|wife|missus|ex|bird|husband|boyfriend|fiance|fiancee|other half)
(walking on eggshells|on eggshells)
(goes|going|went) (mental|mad|crazy|nuts) ~4 (late|home|if i|when i|at me)
(he is|she is|ex|he|she|partner|husband|boyfriend|fella) ~3 (going to|will|is going to) (kill|hurt|batter|stab|smash|strangle) me
(he|she|ex|partner|fella|boyfriend|girlfriend|husband|wife|missus|bf|gf|him|her|they) ~3 (hits|hitting|hit|beats|beating|beat|batters|battering|punched|punches|punching|slapped|slaps|slapping|strangled|strangles|choked|chokes|kicked|kicks|kicking|pushed|pushes|pushing|shoved|shoves|threw|throws|smashed|strangling|choking|bit|bites|biting|burnt|burned) ~3 (me|my|at me)
(he|she|ex|partner|fella|boyfriend|girlfriend|husband|wife|missus) ~3 (battering|beating|hitting|strangling|attacking) her
(mums|mams|mothers|mum|sisters|sister) (fella|boyfriend|partner|husband|bloke) ~6 (hits|hit|beats|battering|bruises|drink|hurting)
(got|has|got fresh|has fresh) ~2 bruises
(checks|checking|goes through|reads|tracks|tracking) ~2 (my phone|my messages|my location|where i)
(takes|took|taking|controls|has) ~2 (my money|my bank|my card|my benefits|my wages)
(will not|does not|never) let me (see|go|leave|out|talk|have) ~3 (mum|mam|friends|family|sister|brother|mates|out|anyone|house|money|phone)
not allowed to (see|go out|leave|talk|have) ~3 (mum|mam|friends|family|sister|mates|out|anyone|money|phone)
(scared|frightened|terrified|afraid) of (him|her|my partner|my ex|my husband|my wife|my boyfriend|my girlfriend|my fella)
(keeps|keep|kept) (turning up|threatening|following) ~3 (me|my|flat|house)
(threatening|threatens|threatened) (me|to) ~4 (kill|hurt|batter|brothers|kids|take)
get her brothers on me
(said|says) ~3 (she|he) (will|would|ill|ll) say i (hit|hurt|attacked)
(smashed|smashes|broke) my (phone|stuff|things)
(i|i have|ive) (pushed|grabbed|hit|slapped|punched|shoved|strangled|choked|kicked) (my|her|the) ~3 (girlfriend|partner|wife|missus|her|ex|arm|neck|throat)
(pushed|shoved|threw) (my|her) ~2 (girlfriend|partner|wife|missus|ex|her) ~3 (wall|floor|door|stairs)
(grabbed|gripped) her (arm|neck|throat|hair|wrist)
smashed the (flat|house|place|kitchen) up
(help|something) (with|about) my (temper|anger|violence)
(got|has|had) me by the (throat|neck|hair)
(coercive|controlling) ~2 (relationship|behaviour|partner|control)
domestic (abuse|violence)

[domestic_abuse emergency]
(he is|she is|they are|he|she|partner|ex|husband|boyfriend) ~2 (punching|hitting|beating|kicking|strangling|choking|battering|attacking|stabbing) (me|her|him|us)
(he|she|they|ex|partner|husband|boyfriend) ~3 (kicking|banging|smashing|breaking) ~2 (the door|door) ~2 (in|down)
(he|she|ex|partner|husband|boyfriend|fella) ~2 (is|keeps|keeps on) ~2 (hitting|battering|beating|strangling|choking|attacking) (me|her) ~3 (now|right now)
locked myself in the (bathroom|toilet|bedroom|room)

# ------------------------------------------------------------------- child safeguarding

[child_safeguarding high]
(kids|children|baby|toddler|little one|son|daughter|boy|girl|bairns|nephew|niece|grandson|granddaughter|stepson|stepdaughter|year old|years old|kid|child) ~7 (alone|home alone|on their own|on his own|on her own|by themselves|unattended)
(left|leave|leaving) the (kids|children|baby|little ones) ~3 (alone|on their own|at home|in the house)
(kids|children|they) ~6 (not had|have not had|has not had|no|not eaten|nothing to eat|hungry|starving) ~2 (meal|food|eaten|tea|in days)
(out|outside) (till|until) (midnight|late|2am|1am)
(hits|hit|hitting|beats|slaps|smacks|locks|shuts|burns|shakes|hurts) (her|him|them) when (she|he|they) ~2 (naughty|cries|cry|crying|bad|wet|answers)
(locks|locked|shuts|shut) (her|him|them) in ~3 (room|cupboard|dark)
(shook|shaken|shaking) (him|her|the baby|my baby|the baby)
(record|conviction|convictions|done time) ~4 (kids|children|child|minors)
(kid|child|son|daughter|nephew|niece|boy|girl|year old|years old|stepson|stepdaughter|little one) ~5 (bruises|bruised|burns|marks|black eye) ~3 (from|because|off)
(got|getting|making|has) (him|her|my son|my daughter|the kids) ~3 (holding|carrying|shifting|running|dealing|selling) ~2 (stuff|drugs|gear|for them)
(grooming|groomed|exploiting|exploited) (him|her|my son|my daughter|kids)
(toddler|baby|child|kid|little one) ~8 (balcony|railing|railings|window ledge|ledge)
child (abuse|neglect)

[child_safeguarding emergency]
(climbing|hanging|over) ~2 the (railing|railings|balcony|ledge|window)

# -------------------------------------------------------------------- substance misuse

[substance_misuse medium]
(craving|cravings|craving for)
(want|wanna|dying for|could do with|tempted|gagging for) ~3 (a drink|a pint|a bevvy|a can|to use|to score|some gear|a bag|a line|a hit|a smoke|to get high|to get wasted)
really want a drink
(thinking|think|thinkin) about (the|using|scoring|drinking|gear|a drink|drugs)
(urge|urges) to (use|drink|score)
(walked|went|walking) past ~3 (where i used to score|my old dealer|the dealers|the offy)
(old|my) dealer ~3 (messaged|text|texted|rang|called|ringing)
(text|message|ring) (him|her|the dealer) back
can not (shake|stop thinking about) (it|the gear|using|drinking)
(struggling|finding it hard) to stay (clean|sober|off)
(is using|are using|he uses|hes using|she uses|using around me)

[substance_misuse high]
(started|start|been|am|was|back) ~2 (using|drinking|injecting|smoking crack|on the gear|on the brown|on the smack|on the crack|on the coke|on the ale|on the drink|on the booze|on it) ~2 (again|every day|non stop|since)
(relapsed|relapse|relapsing|slipped up|fell off the wagon)
(back on|been on|on) the (gear|brown|smack|heroin|crack|spice|ale|drink|booze|coke|benzos|pills) ~3 (again|every day|non stop|since|days|weeks|now)
using again
(had|have had|did|done|got) (a bag|a few bags|a line|some gear|some brown|a hit|a dig|some spice) ~3 (last night|again|yesterday|today|now)
(sorting|getting|scoring|buying) (another|some more|more) ~2 (bag|one|gear)
(mixing|mixed|with) ~3 (benzos|pregabs|pregabalin|gabapentin|valium|xanax|methadone|oxys|oxycodone|alcohol|vodka|gear|heroin|ale|drink|sleeping tablets)
(taking|necking|on) ~2 (my mates|someones) ~2 (oxys|pills|tablets|benzos|methadone|meds)
tolerance ~4 (gone|down|shot|low|dropped|is shot)
(overdose|overdosed|od|go over|going over|goes over|went over) ~4 (tolerance|again|risk|people)
(that is|thats|is) how (people|you|lads) (go over|overdose|die)
(injecting|injected|jacking up)
(heroin|crack|smack|spice|fentanyl|nitazene*) ~3 (again|days|now|every)
(dodgy|risky|dangerous) ~2 (mix|combo|combination)

[substance_misuse emergency]
(not breathing|stopped breathing|barely breathing|cant breathe properly|breathing funny|struggling to breathe) 
(gone|going|turned|turning|lips|face) ~2 (blue|purple|grey)
(fitting|having a fit|seizure|fitting on the floor)
(can not|will not|wont) wake (him|her|them|up)
(unconscious|passed out and|not responding|unresponsive)
(took|taken|had|done|necked) too much
(took|taken|had|necked|done) ~4 (benzos|pills|tablets|valium|xanax|methadone|heroin|gear|fentanyl|pregabs) ~4 (vodka|bottle|alcohol|drink|ale|together|on top)
(done|did|took|had) (a fat line|a line|a bag|bags) ~3 (and|with|together|on top)
(lips|legs|face|arms) ~2 (numb|going numb|tingling)
(can not|cant) feel (my|me) (legs|arms|face|body)
nodding off
overdos* (now|right now|i think)

# ------------------------------------------------------------------------ reoffending

[reoffending_risk medium]
(scared|worried|afraid|frightened|bricking it|panicking|terrified|fear|anxious|anxiety|worried sick) ~6 (recall|recalled|breach|breached|back inside|back to prison|back in jail|sent back|going back in|locked up)
(will|would|are|is|going to|gonna|might) they ~3 (breach|recall|send me back|violate)
(am i|will i|i will|going to|gonna) ~2 (get|be) (recalled|breached|sent back|locked up)
(mentioned|talking about|threatened) ~2 (recall|breach)
(late|missed|miss) ~3 (curfew|probation|my appointment|appt|reporting|sign on)
(tag|tag box|monitor) ~4 (beeping|flashing|going off|red|not working|broken)
(tampered|tampering) with
(old|the|my) (crew|lads|mates|friends|gang|associates) ~5 (keep|keeps|ringing|calling|texting|messaging|coming round|want me)
(lads|crew) from (before|my old|the old)
(stopped|searched|pulled|lifted) ~3 (me|and searched|by the police|by the bizzies)
(police|bizzies|feds|coppers|old bill) ~3 (stopped|searched|pulled|lifted)
failed a (drug|piss|urine) test
(exclusion zone|licence conditions|licence says|my licence) ~6 (can not go|job|breach|in breach)
(get|getting|drag|dragged|pulled) ~2 back in

[reoffending_risk high]
(want|wants|asked|asking|told|pressuring|pressure) me to (hold|carry|stash|keep|mind|shift|sell|move|do|drive|run) ~3 (gun|gear|drugs|stuff|parcel|package|parcels|packages|something|a job|a drop|weapon|shooter|money)
(thinking about|tempted|considering) (doing it|saying yes|taking it)
(going to|gonna|will|might|about to|think i will|thinking of|tempted to) ~3 (rob|robbing|nick|nicking|shoplift|burgle|steal|deal|dealing|sell|selling|grafting|graft|jump someone)
(going to|gonna|about to|think i will|thinking of|tempted to) ~3 (do a|doing a) (drop|job|run|robbery|graft)
(do|doing|did) a drop
(drop|run|job|parcel) for (them|the lads)
(easy money|quick money|earner)
(stuff|gear|packages|parcels|drugs) to (shift|sell|drop|move)
(close to|nearly|about to) saying yes
(cut|cutting|take|taking|get|getting) ~2 (this|the|my) (tag|monitor) off
(breaking|break|ignore|ignoring|skipping) ~2 (curfew|my curfew|licence|conditions)
(do not|not) care about ~2 (licence|curfew|conditions|recall|tag|probation)
(non-contact|no contact|non contact|restraining|exclusion) ~4 (order|condition|zone) ~8 (going|message|go|see|text|ring)
(message|text|see|ring|contact) her ~3 (tonight|anyway|even though)
(go|going|goin) ~2 (round|to) (my|me) (exs|ex|ex-partners|old house)
so (they|theyll|they will|they would) ~2 (recall|send me back|lock me up)
(going back inside|back inside) ~3 (easier|better)
(doing|do) something ~3 (recall|back inside|locked up|arrested)
(im|i am) (going|gonna|going to go) whatever ~2 (anyone|they|probation) (says|say)
(reoffend|reoffending|go back to crime|back to robbing|back to dealing)
(go|going|goin|tempted) ~4 (match|game|pub|town|area) ~9 (exclusion|banned|zone)

# ----------------------------------------------------------------------- accommodation

[accommodation low]
housing list
(own|my own) place
(bidding|bid) ~2 (property|properties|houses|flats)

[accommodation medium]
nowhere to (sleep|go|stay|live)
(got|have|has) nowhere ~3 (tonight|to go|to sleep|to stay|else|now)
(sleeping|slept|sleep|kip|kipping) ~2 (rough|in a doorway|on the street|on the streets|in the park|in my car|in the car|outside|on a bench)
(kicked|thrown|chucked|booted|turfed) [me] out
kicked out
thrown out
chucked out
(evict*|section 21|notice to quit)
changed the locks
(homeless|no fixed abode|nfa)
sofa (surfing|surf|hopping)
on (my|me|a) (mates|friends|brothers|sisters|nans|mums) (sofa|couch|floor)
(hostel|shelter|night shelter|b&b) ~4 (full|no beds|no room|kicked|out by|come back)
(have to|got to|must) be out by
(walking|walked|wandering) (round|around|the streets) ~3 (all day|all night|in the rain|for hours)
(housing|flat|accommodation|place|room) ~2 (fell through|fallen through|gone|not ready|not sorted)
can not stay ~3 (no more|any more|anymore|there|here)
(last night|tonight) ~4 (stay|sofa|couch|there)
where (am i|do i|can i|will i) ~3 (sleep|stay|go)
(rent arrears|arrears)
(street|streets|doorway)

# ------------------------------------------------------------------------------ finance

[finance low]
debt advice
(debt|money|budget|budgeting) (advice|help|place|service|advisor|adviser)
citizens advice
(food bank|foodbank|food banks|food parcel|food voucher)
(benefits|universal credit|uc claim|my claim|pip|esa|jsa|housing benefit|council tax)

[finance medium]
(no money|got no money|have no money|not got any money|skint|brassic|broke|penniless)
(got|have|left with|only got|only have|with) (£|€) ~ #
(got|have|left with|only got|only have) # (quid|pound|pounds|euro|euros)
(£|€) # (to last|left|till)
(nothing|no money|nowt) (coming in|till)
(no money|no cash|no credit|nowt|not a penny) left
(benefits|uc|universal credit|pip|esa|jsa|money|payment|payments) ~3 (stopped|sanctioned|cut|took it off|taken off|suspended|stuck|not come|not paid)
(sanctioned|sanction|sanctions)
(not|have not|has not|havent) (eaten|had food|had anything to eat)
no food
(nothing|no food|nowt) (in the fridge|to eat|in the house|in)
(food bank|foodbank) ~4 (open|need|near|today|where)
(debt collectors|bailiffs|enforcement|arrears|court fines|ccj|old fines|the fines|owe)
(in|got|have|with|into) ~2 (debt|debts)
(gas|electric|electricity|leccy|power|meter) ~3 (cut off|off|ran out|run out|no credit|nothing on)
no (gas|electric|leccy|heating|credit) ~3 (on the meter|in|on)
(can not|can not afford to|how am i|how will i|how im|how i am) ~2 (pay|paying) ~2 (rent|bills|the rent|gas|electric)
(rent|bills) ~3 (due|piling|owed|behind)
(bank card|card|account) ~2 (blocked|frozen|stopped)
(food|eat|meal) ~3 (kids|tonight|today) ~3 (no money|can not afford)

# -------------------------------------------------------------------- emotional distress

[emotional_distress medium]
(panic|panicking|panicked|panicky)
panic attack
(anxious|anxiety|on edge|cant settle|can not settle|wound up|stressed|stressing|stressed out)
can not (breathe|breath|stop shaking|sleep|calm down|cope|think straight|stop crying)
(shaking|trembling|heart racing|chest pains|palpitations)
(lonely|alone all the time|on my own all the time|isolated|nobody rings|no one rings|nobody calls|no one calls)
(really|so|very|proper|well|just|bit|feeling|feel|felt) (down|low|depressed|fed up|flat|rough)
(feel|feeling|felt) ~3 (low|down|depressed|worthless|useless|hopeless|empty|numb|shit|awful|terrible|rubbish|crap|horrible|like a failure|failure|overwhelmed|lost|broken|alone|scared|paranoid)
(such a|a complete|a total) failure
(depressed|depression)
(overwhelmed|overwhelming)
(angry|fuming|raging|furious|livid|seething|so mad|pissed off)
(going to|gonna) (explode|lose it|snap|kick off)
lose it with (someone|somebody|him|her|them)
(wanted|want) to (throw|smash|break|punch) (the|a|my|something|everything)
punch (my|the) (pillow|wall)
(nightmare|nightmares|flashbacks|flashback)
(can not|could not) sleep
(guilt|guilty|ashamed|shame) ~3 (eating|killing|every|about|of)
(no point|what is the point|whats the point) ~3 (trying|even trying|bothering|anymore)
(scared|afraid|frightened|terrified) (to go out|of going out|to leave|of everyone)
(going mad|losing my mind|losing it|head is gone|heads gone)
(struggling|not coping|falling apart|at breaking point|at the end of my tether)
(crying|cry) ~3 (all day|all night|every day|non stop|my eyes out)
(hitting me hard|grieving|grief)
(hate|hating) myself
(hopeless|helpless|trapped)
(not|can not be) ~2 bothered with anything
(have not|havent) got out of bed
(called|calling|shouting) ~3 (nonce|grass|paedo|nonce case)
(do not|not) (want|wanna) to be on my own
(massive|big|huge|blazing) (row|argument|barney|bust up)
(calming|calm) (down|myself down)
(holding it together|keeping it together)
close to (walking out|losing it|snapping|kicking off|breaking)
(so|really|sick and) tired of (this|it all|everything)

# ------------------------------------------------------------------------------ employment

[employment low]
(cv|resume|c.v)
(interview|interviews)
(job|jobs|work|working|employer|employers|boss|supervisor|colleague|workmate|new lad at work|shift|shifts|trial shift|payslip|wages)
(course|training|college|apprenticeship|qualification|cscs|forklift|plastering|volunteering|volunteer|level 2|maths|english class)
(disclose|tell) ~4 (employer|boss|work) ~3 (conviction|record|criminal)
(conviction|record|criminal record) ~4 (spent|employer|interview|job|work)
(dbs|basic disclosure)
(got the job|start monday|start on monday|first day)

[employment medium]
(lost|lose|losing) (my|me) job
(sacked|fired|let me go|let go|laid off)

# ----------------------------------------------------------------------------- markers

[marker means]
(got|have|has|bought|buying|saved|saving|stockpiled|stockpiling|collected|collecting|hoarded|hoarding|counted|lined|ready|sorted|here) ~3 (pills|tablets|paracetamol|meds|rope|noose|razor|razors|charcoal|💊)
(pills|tablets|paracetamol|meds|rope|noose|razor|💊) ~3 (ready|lined up|sorted|saved|here|in front of me|out)
(saving|saved|stockpil*|hoard*|collecting|collected|counted) ~3 (pills|tablets|meds|medication|prescription|paracetamol|co-codamol|codeine|tramadol|sertraline|citalopram|fluoxetine|mirtazapine|amitriptyline|quetiapine|olanzapine|diazepam|zopiclone|pregabalin|gabapentin|lithium|insulin|methadone|antidepressants|sleeping tablets|painkillers|pain killers)
(boxes|box|packets|packet|bottle|bottles) of (paracetamol|pills|tablets|co-codamol|pain killers|painkillers|sleeping tablets)
💊
(bridge|train tracks|railway|railway line|tracks|multi storey|multi-storey|car park roof|cliff|pier|motorway|mersey|river|canal|rope|noose|ledge)
(engine running|exhaust|hosepipe)

[marker plan]
(stockpil*|hoard*|saving|saved|collecting|collected|counted) ~3 (pills|tablets|meds|medication|prescription|paracetamol|co-codamol|codeine|tramadol|sertraline|citalopram|fluoxetine|mirtazapine|amitriptyline|quetiapine|olanzapine|diazepam|zopiclone|pregabalin|gabapentin|lithium|insulin|methadone|antidepressants|sleeping tablets|painkillers|pain killers)
(going to|will|about to) (jump|hang|take them|take the lot|swallow them|walk into|drive into|step in front)
(going to|will|about to) do it (tonight|today|now|later|when|after|tomorrow|this)
doing it (tonight|today|now|later|tomorrow|when)
(decided|made up my mind|have a plan|got a plan|my plan|the plan|planned|planning) ~3 (to|it|how|when|where|out)
(know|worked out|figured out) (how|when|where) (i am|im|i will|to)
(wrote|written|writing|left) ~3 (letter|letters|note|notes|will) 
(already|all) (prepared|planned|sorted|ready)
(waiting|wait) (for|outside|near|round) ~2 (him|her|them|his|hers|their)
(know|found out) (where|what pub|which pub|the pub) ~3 (he|she|they|lives|drinks|is)
(am|i) ~2 (on my way|on me way|heading round|going round|going over)

[marker time]
(tonight|right now|later|in a bit|in an hour|this evening|after dark|in a minute)
(when|once|after) ~4 (goes to bed|go to bed|asleep|is asleep|leaves|gone out|gone to bed|gone to work)
(going|heading|doing|do|take|taking|jump|jumping|off|on my way|on me way|going round) ~3 now
(now|today) ~3 (going|doing|taking|on my way|heading)
(waiting|wait) (for|outside|near|round) ~2 (him|her|them|his|hers|their)

[marker goodbye]
(wrote|written|writing|left) ~3 (the letters|letters|a letter|a note|notes|everything down) ~3 (for|to)
(wrote|written) the letters
(tell|telling) (my|me) (kids|daughter|son|mum|mam|ma|nan|family|partner|girl|boy|dad) ~3 (sorry|love|i love|goodbye|bye)
(say|saying|said) goodbye
(giving|gave|give) away (my|me|all)
(look|looking) after (my|me) (dog|cat|kids|son|daughter) for me
this is goodbye
(goodbye|bye) (everyone|all|forever)
(sorry|sorry for) ~3 (everything|wasting your time|being a burden)

[marker weapon]
(knife|knives|blade|machete|gun|shooter|hammer|bat|baseball bat|axe|crowbar|shank|acid|🔪|🔫)
(my|a|the) ~2 (knife|blade|shank|machete|gun|shooter|bat|hammer) (on me|in my pocket|in me pocket|on my belt)

[marker happening]
(is|are) ~2 (punching|hitting|beating|kicking|strangling|choking|battering|attacking|stabbing) (me|her|him|us)
(right now|as we speak|at the moment)
(kicking off|kicked off|going off|it is happening)
(outside|at|banging on|kicking|knocking) ~2 (the door|my door|front door|the window)
(screaming|crying|shouting) ~3 (through the wall|upstairs|in the next room|next door|now)
(hear|hearing|can hear) ~3 (it|them|her|him|screaming|through the wall)
(gone|went|has gone) ~2 (quiet|floppy|limp|silent|still)
(is|are) ~2 (floppy|limp)
(since|from) this morning
(can not|will not) get back
(climbing|hanging off|leaning over)
(got|has) me by
(help|please help|send help|pls|please) ~2 (now|quick|asap)

[marker child_present]
(kids|children|baby|little one|little ones|toddler|son|daughter|bairn|bairns) ~4 (saw|seen|see|watched|watching|there|upstairs|in the room|in the next room|in the house|present|screaming|crying|in bed|asleep|heard|here)
in front of the (kids|children|baby|little one)
(with|took|has|got) the (baby|kids|children|little one)
(her|his|my|our|their) (little one|baby|toddler|kids|children) ~3 (is|are|screaming|crying|upstairs)

[marker overdose]
(overdose|overdosed|od)

# ---------------------------------------------------------------------------- modifiers

[habit]
used to

[negation]
not
never
no
no way
nothing stupid
(would|will|am) never
(not going to|not gonna) do anything
not (suicidal|in any danger|in danger|at risk)

[affirm]
no idea
(does not|do not) matter
never mind
not sure
no (worries|problem|bother|drama)
(can not|could not|can not) stop (thinking|crying|shaking|worrying|panicking)
(no one|nobody|noone)
not (even|just)

[past]
(years|yrs|decades|year) ago
back in #
(when i was|as a) [a] (younger|kid|teenager|child|young|lad|teen|youngster|boy|girl)
(well|long|way|all) behind me
(when i was|while i was|back when i was) (inside|in jail|in prison|on remand|in the nick|locked up|banged up)
(long gone|in the past now|behind me now|over now|sorted now)
(in the|my) past
(back then|back in the day|those days|that time)
a long time ago
(had a|went through a) (bad|rough|dark) (patch|time) ~2 (years|back|before|ago)
# (# years) ago
(on remand|inside) ~3 (years|ago)
5 years ago

[present]
again
(now|right now|tonight|today|lately|recently|these days|at the moment|still|this week|currently|anymore)
(started|starting) ~2 (again|to)

[quote]
(song|lyrics|lyric|film|movie|tv show|programme|book|quote|quoting|meme|episode|line from|the one where)
(in|from|on) (the|that) (film|movie|song|show|book|episode|programme)

[idiom]
(it|its|it is|this|that|reality|grief|the news|everything) ~2 (hitting|hit|hits|kicking|kicked) me
(kicked|kicks|kicking|chucked|threw|thrown) me out
(hit|hits|hitting) me up
(want|wanna) to use (this|it|the|that|your|my)
(is|are|was|its|it is) killing me
killing me (haha|lol|lmao|😂|🤣|🙄|😩)
(heat|bus|job|work|wait|queue|traffic|back|feet|legs|head|hangover|kids|boss|shift|gym|this|that|weather|hill) ~3 killing me
(killing|killed|kill) (themselves|ourselves|myself|himself|herself) laughing
(died|die|dying|dead) laughing
(nearly|almost|could have|could of) died ~3 (laughing|laugh|😂|🤣|haha|lol|of embarrassment|of shame)
laugh so much i nearly died
(dying|dying for) (to|a|for) (see|meet|hear|go|get|know|try|brew|pint|cuppa|drink|fag|wee|piss|kip)
(dying|dying for) (a|to) ~2 (brew|pint|cuppa|drink|fag|wee|piss|kip|see|meet)
dying to see
(could|would|i could) (murder|kill) (a|for a) (brew|pint|cuppa|curry|kebab|burger|butty|drink|beer|chippy|pizza|cup)
(could|would|i could|i will|ill) (kill|murder|strangle) (him|her|them|my) ~4 (😂|🤣|lol|haha|lmao|hahaha|😅)
to die for
(dead|proper) (proud|good|nice|funny|tired|boring|easy|chuffed|excited|happy|bored)
(dead|deadly) serious
(heart attack|gave me a heart attack|nearly had a heart attack)
(a bit|bit|little bit|slightly) (nervous|anxious|worried|scared|stressed)
(nervous|anxious) but (buzzing|excited|ok|fine|good)
(sleeping|slept) like a (log|baby)
(sleeping tablets|sleeping pills) ~4 (working|helping|gp|doctor)
(end it|ending it|end things|ended it|ending things) with (her|him|my|the|them)
(i|ive|i have) got (this|it) (nailed|sorted)
not going to lie
(shot|shoot) (me|a) (text|message|msg|email|line)
(smashed|smash|killed|kill|killing) (it|the interview|the test|the exam|the course|the gym)

[third_party]
(my|me) (mate|mates|friend|pal|brother|sister|cousin|son|daughter|cellie|padmate|neighbour|girlfriend|boyfriend|partner|ex|mum|dad|uncle|lad)
(he|she|they) (says|said|keeps saying|keeps talking|told me) ~3 (going to|gonna|wants to|will)

# ================================================================ broader coverage, by concept
# Euphemisms, research, burden, poisons, places and ways; checked against messages written
# apart from the development set (tests/triage/cases.jsonl).

[normalise]
youll = you will
theyll = they will
itll = it will
wouldve = would have

[suicide_self_harm high]
check out (for good|early|of life|of this world)
(go|gone|leave|sleep) (for good|forever|for ever|permanently)
(quickest|easiest|painless|best|surest|fastest) way to (go|die|end it|do it|kill myself)
(how to|how do you|ways to|how many) ~3 (kill yourself|kill myself|end it|die|overdose|hang|od)
(googling|googled|searched|searching|looking up|looked up|researching|researched) ~4 (how to|ways to|quickest|painless|overdose|lethal|dose|suicide|to die)
lethal dose
(burden|weight|drain) (to|on|for) (everyone|everybody|my family|you all|them|my kids|people)
(i am|i feel like|feel like) a burden
(nobody|no one|noone|no body) ~2 (would|will|will even|would even) (notice|miss|care|mind)
(scratching|scratch|scratched|picking|gouging|digging) ~4 (till|until|so) ~2 (bleed|bleeds|bled|blood)
(starving|starve|starved) myself
(no way out|see no way out|not see a way out|not see any way out|trapped with no way out)
(want|wanted) (it all|everything|it) to (stop|end|be over)
(want|wish) ~3 (to stop existing|stop existing|to not exist|to disappear|never woke up|not to wake up|could sleep forever)
(in front of|under) (a|the) (train|bus|lorry|car|truck)
(step|walk|jump) [out] in front of
(drown|drowning|gas|gassing|poison|poisoning|suffocate|suffocating) (myself|meself|himself|herself)
(slit|slash|slice|cut) my (wrists|wrist|throat)
(hang|hanging|hanged|hung) (himself|herself|themselves)
(talking|talks|talked|going on|keeps going on|keeps talking) about (killing|hanging|ending|topping|drowning|gassing) (himself|herself|themselves|it)
(does not|do not|did not) want to (live|be alive|be here|wake up) ~2 (anymore|any more)
(he|she|they) (wants|want|wanted) to die
(this is|this will be|this is my|heres my) ~2 (last|final) (message|text|goodbye)
(last|final) (message|text) (you will|you ll|youll|you will ever) (get|have|hear)
(never|not) (see|hear from) me again
(overdose|od|od'ing) on (purpose|everything)

[suicide_self_harm emergency]
(drank|drunk|swallowed|took|taken|had|necked|drinking) ~3 (bleach|antifreeze|poison|weedkiller|rat poison|drain cleaner|paraquat)
(standing|stood|waiting|sat|sitting) ~4 (platform|level crossing) ~4 (train|trains|fast train|express)

[violence_to_others high]
(glass|bottle|glassed|bottled|chiv|chivved|plug|shank|shanked|slash|slashed|stab|stabbed) (him|her|them|that)
(grabbed|got|pulled|picked up|took) (a|the|his|her|a big) (knife|blade|machete|hammer|bat|bottle|gun)
(coming|came|running|ran|went|lunging) at (me|him|her|us) (with|holding) ~2 (knife|blade|machete|hammer|bat|bottle|gun)
(is|are|keeps) coming at (me|us|him|her)
(tooled up|carrying|strapped)
(balaclava|balaclavas|masks on)

[violence_to_others emergency]
(outside|at) (my|the|our) (door|house|flat|window|gate) ~5 (bat|baseball bat|knife|knives|machete|machetes|balaclava|balaclavas|weapons|tooled up|gun|hammer)
(knife|blade|machete|gun|hammer|bat) ~3 (coming at|pointed at|to my throat|to my neck|at my throat)

[domestic_abuse high]
(locks|locked|lock|locking) me (in|out) ~3 (flat|house|room|bedroom|when)
(keeps|kept|took|takes|hides|hid|smashes) my (phone|keys|passport|bank card|card|id|money)
(threatening|threatens|threatened|says|said) ~5 (burn|kill|hurt|take the kids|take my kids|stab|batter|end me)
(strangled|choked|throttled|suffocated|raped|assaulted) me
(he|she|ex|partner|husband|wife|boyfriend|girlfriend) ~3 (grabbed|picked up|pulled) a (knife|bottle|hammer|blade)

[child_safeguarding high]
(nobody|no one|noone) [is] (feeding|looking after|watching|changing|minding|caring for) (him|her|them|the baby|the kids|the children)
(baby|kids|children|toddler|little one) ~6 (crying for hours|not been fed|not fed|no nappy|filthy|hungry|starving|screaming for hours)
(mum|mother|dad|father|parent|carer|mam) ~3 (off her face|off his face|passed out|out of it|wasted|paralytic|smashed|high|drunk)

[substance_misuse high]
(drinking|on the drink|boozing|using|smoking crack|injecting|on the gear) (since i got out|since release|every day|all day|non stop|again|since)
(litre|bottle|bottles|cans|crates) of (vodka|cider|wine|whisky|beer|lager|spirits) ~2 (a day|every day|a night)
(overdosed|od d|od) (on|with)
(passed out|blacked out) ~3 (drink|drinking|using|gear)

[reoffending_risk high]
no questions asked
(offered|offering|offer) me ~4 (grand|quid|money|cash|k|hundred|£) ~6 (drive|carry|deliver|hold|move|run|drop|stash)
(might|probably|think i will|gonna|going to) (do it|say yes|go for it|take it)

[reoffending_risk medium]
(will|would|could|am) i (be|get) (breached|recalled|nicked|arrested|sent back|locked up|violated)
breach* me

[accommodation medium]
(sleeping|slept|living|kipping|staying|sleep) ~3 (tent|car|park|doorway|street|bus station|stairwell|squat|garage|shed|bench|train station|a&e)

[finance medium]
(electric|electricity|gas|power|heating|leccy) [(has|is)] (gone off|gone|run out|ran out|been cut|cut off)
(can not|can not even) afford (food|to eat|gas|electric|rent|nappies|milk)

[emotional_distress medium]
(keep|keeps|kept|been|can not stop|cannot stop|just) crying
(head|heads|mind) ~2 (all over the place|a mess|in bits|battered|spinning|fried)
(in bits|in pieces|falling to pieces)
(so|really|very) (sad|upset|low|scared|alone)

[marker plan]
counting (them|the pills|the tablets|pills|tablets|my pills|my tablets)
(bought|buying|got|ordered) ~2 (rope|noose|charcoal|bleach|poison|razor blades|blades)

[marker goodbye]
(last|final) (message|text|goodbye)

# ================================================================ stems and generic shapes
# Whole phrases miss new wording; these catch the words that carry the risk in any phrasing.

[suicide_self_harm high]
never (wake|waking|woke)
point (of|in) (being alive|living|life|going on|carrying on)
voices ~5 (jump|die|kill|hurt|harm|cut|end)
(hang|hanging) (myself|meself)
(overdos*|od) (myself|again|tonight|on)
(slit|slitting|slashed|slashing) (my|his|her)
(not|never) (want|wanna) to (live|exist|wake)
(want|wanna|going to|gonna) ~2 (die|end it|be dead|not be here)
(rather|better) (be|off) dead
(wish|wishing) ~3 (dead|gone|never born|never been born|not here)

[suicide_self_harm emergency]
(bath|bathtub|bathroom) ~4 (razor|blade|blades|knife)
(razor|blade|blades|knife) ~4 (bath|bathtub|wrists|wrist)
(hanged|hung) (himself|herself|themselves|myself)
(tried|trying) to hang (himself|herself|themselves) ~6 (breathing|breathe|not|barely|help)

[violence_to_others high]
(do|doing|sort|sorting|get|getting|batter|battering) (that|the|this) (grass|snitch|rat|nonce|lad|guy|fella|bloke|prick|dickhead|paedo|nonce)
(i|we) know where (he|she|they) (lives|live|drinks|drink|works|work|stays|hangs out)
(got|gets|getting) (stabbed|shot|glassed|slashed|jumped|battered|bottled)
(stabbed|shot|glassed|slashed) ~3 (outside|just now|right now|blood)

[violence_to_others emergency]
(just|someone|somebody|a lad|a guy|he|she) ~2 (got|been|was|has been) (stabbed|shot|glassed|slashed) ~6 (blood|outside|now|bleeding|help)

[domestic_abuse high]
(hit|hits|hitting|punched|punches|punching|kicked|kicks|kicking|slapped|slaps|strangled|choked|beat|beats|beating|battered|batters|headbutted|bit|burned|burnt|pinned|dragged|raped|shoved|pushed) me
(pinned|held|holding) me (down|against)
(bruises|bruised|black eye|split lip|marks) ~3 (face|neck|arms|body|eye|all over)
if i (leave|go|tell) ~4 (kill|hurt|take|hurt the kids|kill me|find me)

[child_safeguarding emergency]
(year old|toddler|baby|kid|son|daughter|child|little one) ~6 (found|ate|eaten|swallowed|got into|drank|drunk|took) ~4 (gear|drugs|pills|tablets|methadone|coke|crack|weed|bleach|my stash)

[substance_misuse emergency]
(year old|toddler|baby|kid|son|daughter|child|little one) ~6 (found|ate|eaten|swallowed|got into|drank|drunk|took) ~4 (gear|drugs|pills|tablets|methadone|coke|crack|weed|my stash)
(collapsed|keeled over|dropped|gone down) ~6 (bag|line|gear|drink|pills|using|toilets|after)
(not|isnt|is not|stopped) (waking up|responding|moving)
(grey|gray|blue|purple) and (not|isnt|barely|cold)

[substance_misuse high]
(slipped|slip|slipped up|lapsed|relapsed) ~4 (last night|again|yesterday|this week|had|drink|using|gear|lines)
had (a few|some|loads of|a couple of|2|3|three) (lines|bags|pints|cans|drinks|pills)
(load|loads|lot) of (drink|booze|gear|coke|pills)

[reoffending_risk medium]
(getting|being|get|gonna be|going to be) (recalled|breached|sent back|locked up)

[emotional_distress medium]
(drowning|sinking|suffocating) in
(can not|can not even) (get out of bed|face anything|face anyone|stop crying)

# ================================================================ fourth unseen set (by concept)

[suicide_self_harm high]
better [off] without me [in it]
(shoot|shooting|shot) (himself|herself|myself|themselves|meself)
(want|wants|wanted) (it|everything) [all] to be over
(want|wanted) it all over

[suicide_self_harm emergency]
(swallowed|took|taken|necked|had|eaten|ate) ~3 (whole|entire|full|2|two|three|3) (strip|strips|box|boxes|packet|packets|bottle|pot|tub|blister) ~3 (pills|tablets|meds|medication|paracetamol|co-codamol|codeine|tramadol|sertraline|citalopram|fluoxetine|mirtazapine|amitriptyline|quetiapine|diazepam|zopiclone|pregabalin|methadone|antidepressants|sleeping tablets|painkillers|💊)

[marker goodbye]
(written|wrote|writing|said|saying|sent) ~2 (goodbyes|my goodbyes|goodbye letters|goodbye notes|last letters)

[marker means]
(gun|shotgun|rifle|firearm)

[substance_misuse high]
(smoking|smoked|on the|doing|done|taking) ~2 (crack|rock|gear|brown|spice|ket|coke|pills) ~3 (all weekend|all night|all day|every day|non stop|for days)

[substance_misuse emergency]
(took|taken|had|done|necked) too much ~3 (ket|coke|gear|spice|mdma|pills|xanax|benzos) 
(heart|chest) ~3 (racing|pounding|going mad|hurts|pains) ~6 (ket|coke|pills|took|taken|gear|speed|mdma)

[substance_misuse medium]
(fancy|fancying|really fancy) ~2 (a drink|a pint|a bevvy|a line|a bag|a smoke|some gear|a can)
the urge ~3 (strong|bad|back|getting)

[reoffending_risk high]
(rob|robbing|burgle|burgling|mug|mugging|turn over|do over) ~2 (a|the|this|that) (shop|house|offy|bank|post office|garage|bookies|petrol station|car)
(help|helping) (them|him|the lads) (rob|burgle|nick|steal|deal|sell|shift)

[reoffending_risk medium]
(breach|breaching|breached) ~5 (scared|worried|court|recall|recalled|prison|bricking)
(back to|going to|in) court ~4 (breach|breaching|licence)

[accommodation medium]
nowhere (lined up|sorted|arranged|to stay|to live)
(hostel|landlord|council|b&b|shelter|mate|mum|nan) ~4 (says|said|told me) ~3 (out|leave|go) (tomorrow|tonight|today|by)

[emotional_distress medium]
(getting|got|get) on top of me
(cant|can not) (cope|handle|take) (it|this|anymore|any more)

[child_safeguarding emergency]
(baby|toddler|child|kid|son|daughter|little one|year old|newborn) ~6 (fell|fallen|not moving|is not moving|stopped moving|not breathing|unconscious|choking|scalded|burnt|burned|floppy|blue|cold)

# ================================================================ fifth unseen set (by concept)

[suicide_self_harm high]
not see myself [being] (here|around|alive) ~3 (christmas|next week|much longer|long|tomorrow|new year|birthday)
(belt|rope|cord|ligature|noose|scarf|cable|lead) ~3 (round|around) (my|his|her) neck
(how easy|easy) it (would|could) be ~3 (to end|to go|to die|to take|to do)
(looking|staring|stare|look) at (the|my|them|those) ~2 (tablets|pills|rope|knife|blade|razor|bridge) ~3 (thinking|wondering)
(walked|stepped|walk|step) [out] in front of (a|the) (car|bus|train|lorry)

[marker goodbye]
(said|saying|say) (bye|goodbye|goodbyes) to (everyone|everybody|all|my|the)

[marker plan]
(tonight|today|tomorrow) is the (night|day)
(tonights|todays) the (night|day)

[domestic_abuse high]
(going to|will|gonna) ~3 (find me|come for me|get me) ~3 (finish|kill|hurt|end|do)
(finish me|finish me off|end me)

[violence_to_others high]
(put|smash|smashing|putting|do) (his|her|their) windows
(jumped|attacked|battered|stabbed|glassed|kicked in) (my|a|me) ~2 (mate|friend|brother|lad|cousin|son)

[marker happening]
(bleeding|on the floor|still here|still outside)

[child_safeguarding high]
(kids|children|little ones) ~12 (no food|nothing to eat|not fed|not been fed|no school|not been to school)
(mum|mums|mother|dad|dads|father) ~3 (on the gear|off her face|off his face|using|drinking every day|passed out)

[substance_misuse high]
back on the (gear|spice|brown|smack|crack|drink|ale|booze|coke|pills|benzos|methadone)

[substance_misuse high]
(mum|mums|mother|dad|dads|father|partner|missus|fella) ~3 (on the gear|on the spice|on the crack|on the drink|on the brown|using again)

[affirm]
(do not|did not) know

# ------------------------------------------- coverage after a seventh unseen set (by concept)

[suicide_self_harm high]
what is the point (of|in) (me|living|life|being here|being alive|going on|carrying on|it all|anything|waking up)
(thinking|think|thought) of (jumping|hanging|overdosing|drowning|killing myself|ending it|gassing|throwing myself|taking the lot)

[suicide_self_harm emergency]
(swallowed|took|taken|necked|downed|had) (the|a|my|his|her) (whole|full|entire) (packet|box|bottle|strip|blister|lot|prescription|supply)
(swallowed|took|taken|necked|downed) (the lot|the whole lot|them all|all of them)
(belt|rope|cord|cable|scarf|sheet|ligature|noose|tie|lead|dressing gown cord) ~3 (round|around|over|on) ~3 (my neck|me neck|the door|door|the handle|handle|banister|the banister|beam|the beam|hook|rail|pipe|tree|the loft hatch)

[violence_to_others high]
(glass*|batter*|stab*|slash*|shank*|chib*|knif*|bottl*|leather*|deck*|smash*) (him|her|them|that|this|his|the|someone|somebody|my|your|their)
(going to|gonna|will|i will|ill|swear|swear down|could) ~2 (kill|stab|batter|murder|shank|shoot|hurt|glass|bottle|smash|slash|leather) (my|your|their)
(waiting|waiting for me|outside) ~4 (with bats|with knives|with blades|with machetes|with a bat|with a knife|with weapons|tooled up)

[violence_to_others emergency]
(outside|at the door|at my door|at the house|at the flat|round the back|waiting) ~3 with [(a|an|the|their|his|her)] (hammers|knives|bats|machetes|guns|blades|axes|crowbars|weapons)
(lads|men|people|they|gang|group|crew|him|he) ~4 (outside|waiting|at the door) ~4 (bats|knives|weapons|blades|machetes|guns|tooled up)

[domestic_abuse high]
(pushed|shoved|threw|slammed|dragged|pinned) (her|him|my partner|my girlfriend|my wife|my missus) ~3 (into|against|down|across|onto|up against|to) ~2 (wall|floor|door|stairs|bed|ground|sofa|table)
(he|she|ex|partner|fella|boyfriend|girlfriend|husband|wife|missus|bf|gf) ~3 (threw|throws|chucked|lobbed) ~3 at (me|my head)
(tells|decides|chooses|controls) ~2 (who i|where i|what i) ~2 (can|see|go|text|talk|wear|eat|spend)

[child_safeguarding high]
(kill|hurt|harm|batter|stab|hit) [(me and|us and|me and my|me and the)] (kids|children|baby|little ones|the kids|my kids|the children|my children|the baby|my baby)
(screaming|shouting|yelling|swearing) at (her|his|the|their|my) ~2 (toddler|baby|kid|kids|child|children|son|daughter|little one|little ones)
(hits|hit|hitting|slapped|slaps|slapping|smacked|smacks|smacking) (her|his|the|their) (toddler|baby|kid|kids|child|children|son|daughter|little one|little ones)

[substance_misuse high]
(overdid|overdone|overdoing) it
(mum|mam|dad|mother|father|parent|step dad|stepdad|their dad|their mum) ~3 (passed out|out of it|off his face|off her face|smashed|wasted|on the gear|nodding off)

[substance_misuse emergency]
(overdid|overdone|overdoing) it ~3 (benzos|pills|tablets|valium|xanax|methadone|heroin|gear|fentanyl|pregabs|vodka|drink)

[marker time]
(oclock|o clock)
(at|by|before|after|about|around) # (pm|am)
(midnight|at dawn|first light|when it gets dark)

[marker happening]
(heard|hear|hearing|can hear) ~3 (a slap|slap|smack|slapping|smacking|thud|a thud|bang|a bang|crash|a crash|screaming|crying)

[marker child_present]
(babys|kids|childrens|the baby is|the kids are) ~3 (crying|screaming|in the cot|in bed|upstairs|asleep|here|home|watching)

[marker goodbye]
(ta|thanks|thank you|cheers) for (trying|all you did|all you have done|always being there|everything you did|everything you have done)

[idiom]
killing me (softly|slowly|with)

[marker plan]
# a weapon at hand, not just owned: with a threat, violence about to happen
(got|have|brought|bringing|taking|packed|grabbed) (my|the|a|me) (knife|blade|machete|gun|bat|hammer|shank|shooter) (ready|with me|on me|already|in my pocket|in me pocket)
already (got|have|grabbed) (my|the|a|me) (knife|blade|machete|gun|bat|hammer|shank|shooter)

[emotional_distress low]
(need|needed|just needed|wanted|just wanted) (to vent|a vent|to rant|a rant|to get it off my chest)

# ------------------------------------------- coverage after an eighth unseen set (by concept)

[suicide_self_harm emergency]
(took|taken|swallowed|necked|downed|had) # ~2 (pill*|tablet*|paracetamol|co-codamol|codeine|tramadol|diazepam|valium|zopiclone|sleepers|sleeping tablets|painkillers|antidepressants|meds|💊)
(hose|hosepipe|pipe|tube) ~4 (exhaust|window|car)

[violence_to_others emergency]
(knife|blade|machete|gun|shank|glass|bottle) (to|at|against|on) (her|his|my|their|your|someones|the) (throat|neck|face|head|chest|belly)

[child_safeguarding high]
(boyfriend|girlfriend|fella|man|bloke|guy) ~6 (is|s) # ~3 (she is|he is|she s|he s|shes|hes) (12|13|14|15)
(daughter|son|niece|nephew|sister|brother) ~5 (is|s) (12|13|14|15) ~6 (boyfriend|girlfriend|fella|man|bloke|older)

[reoffending_risk medium]
(recall|recalled|breach|breached|sent back|back inside|back in jail) ~6 (scared|worried|bricking it|bricking|panicking|terrified|shitting it|petrified|anxious|worried sick)
one more (slip|strike|mistake|chance|warning) ~6 (recall|recalled|breach|breached|back inside|sent back|locked up)

[substance_misuse medium]
(urge|urges|craving|cravings) (to|for) (have|get|go for|a) ~2 (drink|pint|bevvy|can|smoke|line|bag|gear|hit|high|wasted|drunk|score)

# -------------------------------------------- coverage after a ninth unseen set (by concept)

[suicide_self_harm emergency]
(necked|swallowed|took|taken|downed|drank|drunk|had) (a|the|my|his|her|a whole|the whole|half a|all my) ~2 (bottle|box|packet|strip|tub|load|lot|prescription) of ~2 (meds|methadone|pills|tablets|paracetamol|co-codamol|codeine|tramadol|diazepam|valium|insulin|sleeping tablets|painkillers|antidepressants|💊)
(went|cut|gone|going) too deep
so much blood
(wrong side|other side|edge) of the ~2 (railings|railing|barrier|fence|bridge|balcony)
(tied|hung|fixed|put) the (rope|belt|cord|cable|noose|sheet) ~3 (banister|beam|hook|door|loft|tree|rail)
(last|final) (message|text|words) ~3 (anyone|you|everyone|ever)

[suicide_self_harm high]
(pills|tablets|💊|meds) ~2 (kicking in|kick in|taking effect|starting to work)
(thoughts|thinking|think|thought|urge|urges) ~2 (of|about|to) (driving|crash|crashing|drive|steer|steering) ~3 (into|off|in front)
(drive|driving|crash|crashing|steer) (into|off) (a|the) ~2 (wall|tree|bridge|motorway|lorry|bus|oncoming|river)

[violence_to_others emergency]
(waiting|sat|parked|hiding|stood) ~6 (with a|with an|with my|with me) (bat|knife|blade|machete|hammer|gun|crowbar|axe|shank)
(jumped|kicking|stamping|battering|beating) ~3 (right now|outside|as we speak)
(kicked|smashed|broke|booted|kicking|smashing) (the|my|our|her|his) ~2 door (in|down|off)

[child_safeguarding emergency]
(child|kid|son|daughter|year old|years old|toddler|little one|baby|boy|girl) ~4 (missing|gone missing|disappeared|not come home|can not find|cant find|nowhere to be found)
(baby|toddler|kid|child|son|daughter|little one) ~2 (swallowed|drank|ate|took|has taken|got into) ~3 (tablets|pills|bleach|meds|medication|methadone|my tablets|💊|gear|drugs)

[domestic_abuse high]
(will not|does not|never|wont|doesnt) let me (have|keep|open|use) ~3 (bank account|own money|account|card|phone|keys|wages)
(checks|checking|goes through|reads) (every|all|each|my) ~2 (receipt|receipts|penny|text|texts|message|messages|purchase)

[substance_misuse high]
(bender|binge|session) ~4 (days|day|week|can not stop|cant stop|non stop|since)
(a|on a|another) # (day|days|night|nights) (bender|binge|session)

[reoffending_risk high]
(gonna|going to|will|about to|thinking of|planning|planning to) ~2 (do|pull|go on|doing|pulling) (a|another|the|some) (burglary|burglaries|robbery|break in|job|graft|mugging|theft|shoplifting|heist|jacking|smash and grab)
(burgle|burgling|rob|robbing|mug|mugging|shoplift|shoplifting|nick|nicking) ~4 (tonight|tomorrow|later|need the cash|need money|need the money|for money)

[accommodation medium]
(hostel|landlord|council|housing|supported housing|they) ~4 (out|kicking me out|evict*|chucking me out|throwing me out) ~3 (friday|monday|tuesday|wednesday|thursday|saturday|sunday|tomorrow|this week|next week|tonight|end of the)

[finance medium]
(can not|can not even|cant) afford [the] (food|to eat|gas|electric|electricity|rent|nappies|milk|heating|bus)

[suicide_self_harm high]
(wants|wanted|wanting|want) to die
(says|said|saying|keeps saying) ~3 (wants|wanted|going) to (die|end it|kill himself|kill herself)

[marker underway]
(pills|tablets|💊|meds|it) ~2 (kicking in|kick in|taking effect|starting to work)
(getting|going|feel|feeling) ~2 (sleepy|drowsy|woozy|dizzy|faint) ~4 (pills|tablets|took|taken|swallowed)

[violence_to_others high]
(ill|i will|going to|gonna|swear ill|swear i will) (end|finish|do|bury|waste|drop|merk) (him|her|them|that|the lad|the guy|the fella)

[child_safeguarding high]
(schedule one|schedule 1|sex offender|nonce|paedo|pedo) ~6 (kids|baby|children|daughter|son|child|niece|nephew|with him|with her|around)

[domestic_abuse emergency]
(ex|partner|husband|wife|boyfriend|girlfriend|fella|he|she) ~3 (kicked|smashed|broke|booted|kicking|smashing) ~2 door (in|down|off)

[marker child_present]
(he has|she has|they have|he is|hes|shes|theyve) got (my|our|the|her|his) (son|daughter|kids|baby|children|little one|boy|girl)

[substance_misuse emergency]
(necked|downed|drank|took|taken|swallowed) (a|the|my|half a|a whole|his|her) bottle of ~2 methadone

[finance medium]
(need|needing|desperate for) (the|some) (cash|money|dough|quid)

# ------------------------------------------ coverage after an eleventh unseen set (text-speak)

[suicide_self_harm emergency]
(taking|took|taken|swallowing|swallowed|necking|necked|downing) (everything|all of it|the lot|whatever|all sorts) ~3 (cupboard|drawer|cabinet|in the house|i have|i can find|i have got|i got|i could find)

[suicide_self_harm high]
(wanna|want to|going to|gonna|might|just|will) kys
can not (go on|do this|do it|carry on|take it|take this|cope) (no more|no longer|nomore)
(🔪|knife|blade|razor|blades) ~2 (on|to|into|across|in) (my|me) (arm|arms|wrist|wrists|leg|legs|skin|thigh|thighs)

[marker time]
(about to|on my way|on me way|heading) (go|going|head|round|over)

[domestic_abuse high]
(burn|torch|set fire to|petrol) ~4 (house|flat|place|car|home) ~5 (with me|with us|with the kids|with me in it|with us in it)

[child_safeguarding emergency]
(kids|children|baby|son|daughter|little one|little ones|toddler) ~6 (alone|on their own|on his own|on her own|by themselves) ~6 (nicked|arrested|lifted|locked up|in hospital|can not get back|stuck|in a cell)
(nicked|arrested|lifted|locked up|in a cell|in hospital) ~8 (kids|children|baby|son|daughter|little one|little ones|toddler) ~4 (alone|on their own|by themselves)

# ------------------------------------ a partner or parent hurting children (found writing referral scenarios)

[child_safeguarding high]
(beat*|batter*|hurt*|hits|hitting|punch*|kick*|slap*|smack*|abus*|strangl*|chok*) ~2 (the|my|our|her|his|their) (kids|children|child|baby|toddler|son|daughter|little one|little ones|stepson|stepdaughter|boy|girl)
(kids|kid|children|child|baby|toddler|son|daughter|little one|little ones) ~4 (not safe|in danger|at risk) ~3 (with him|with her|with them|at home|around him|around her)
